import type { PipelineSettings } from './settings.js';

/**
 * The `kubectl create secret` lines a user runs once per pipeline, with `...` in place of every value
 * (synthesis never sees values). One line per Secret; empty when the config has no `${VAR}`.
 */
export function secretCommands(settings: PipelineSettings): string[] {
  const keysBySecret = new Map<string, string[]>();
  const add = (secret: string, key: string) => keysBySecret.set(secret, [...(keysBySecret.get(secret) ?? []), key]);
  for (const variable of settings.defaultSecretVariables) add(settings.defaultSecret, variable);
  for (const mapped of settings.mappedVariables) add(mapped.secret, mapped.key);
  return [...keysBySecret].map(
    ([secret, keys]) =>
      `kubectl -n ${settings.namespace} create secret generic ${secret} ` +
      [...new Set(keys)].map((key) => `--from-literal=${key}=...`).join(' '),
  );
}
