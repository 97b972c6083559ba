/**
 * `${VAR}` substitution. Only the explicit `${NAME}` form is replaced; a lone `$` (common in passwords)
 * stays as it is (open-metadata/OpenMetadata#1750).
 */
import { isSecretKey, PLACEHOLDER_ONLY } from './secrets.js';

export const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Names of every `${VAR}` in a parsed config, sorted and unique. */
export function collectVariables(value: unknown): string[] {
  const names = new Set<string>();
  visitStrings(value, (s) => {
    for (const match of s.matchAll(PLACEHOLDER)) names.add(match[1]!);
  });
  return [...names].sort();
}

export class MissingVariablesError extends Error {
  constructor(
    readonly variables: readonly string[],
    /** The config file that refers to them, when known; it starts the message like a ConfigError's. */
    readonly file?: string,
    /** Set but empty, where a secret (password, token) is required. */
    readonly empty: readonly { readonly name: string; readonly path: string }[] = [],
  ) {
    const many = variables.length > 1;
    super(
      empty.length > 0
        ? `${file !== undefined ? `${file}: ` : ''}${empty
            .map((e) => `${e.path}: environment variable ${e.name} is empty`)
            .join(
              '; ',
            )}; set ${empty.length > 1 ? 'them' : 'it'} to the secret (or, on Kubernetes, check the key in the pipeline's Secret).`
        : `${file !== undefined ? `${file}: ` : ''}environment variable${many ? 's' : ''} ${variables.join(', ')} ` +
            `${many ? 'are' : 'is'} not set; the config refers to ${variables.map((v) => '${' + v + '}').join(', ')}. ` +
            `Export ${many ? 'them' : 'it'} (or, on Kubernetes, put ${many ? 'them' : 'it'} in the pipeline's Secret).`,
    );
    this.name = 'MissingVariablesError';
  }
}

/**
 * A deep copy of `value` with every `${VAR}` replaced from `env`; throws MissingVariablesError (naming
 * `file` when given).
 */
export function substituteVariables<T>(value: T, env: NodeJS.ProcessEnv = process.env, file?: string): T {
  const missing = collectVariables(value).filter((name) => env[name] === undefined);
  if (missing.length > 0) throw new MissingVariablesError(missing, file);
  // A secret (`password: ${PG_PASSWORD}`) that comes out empty is a mistake (an unset key of a
  // Kubernetes Secret, a typo in an export); say so now instead of letting a driver fail on it later.
  const empty = emptySecrets(value, env);
  if (empty.length > 0) throw new MissingVariablesError([...new Set(empty.map((e) => e.name))], file, empty);
  return mapStrings(value, (s) => s.replace(PLACEHOLDER, (_, name: string) => env[name]!)) as T;
}

function emptySecrets(value: unknown, env: NodeJS.ProcessEnv, path: string[] = []): { name: string; path: string }[] {
  if (typeof value === 'string') {
    const key = path.at(-1);
    if (key === undefined || !isSecretKey(key) || !PLACEHOLDER_ONLY.test(value)) return [];
    const names = [...value.matchAll(PLACEHOLDER)].map((m) => m[1]!);
    return names.every((name) => env[name] === '') ? names.map((name) => ({ name, path: path.join('.') })) : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => emptySecrets(v, env, [...path, String(i)]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => emptySecrets(v, env, [...path, k]));
  }
  return [];
}

function visitStrings(value: unknown, visit: (s: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((v) => visitStrings(v, visit));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => visitStrings(v, visit));
}

function mapStrings(value: unknown, map: (s: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, map));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, map);
    return out;
  }
  return value;
}
