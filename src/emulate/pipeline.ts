/**
 * `argo-ingest emulate`: the pipeline's synthesized WorkflowTemplate run by the emulator, with the
 * ConfigMap the synth writes, the Secret values taken from this environment, and the worker command
 * (`argo-ingest`) run as this package's own CLI.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { parseConfigText, type LoadedConfig } from '../config/load.js';
import { MissingVariablesError } from '../config/substitute.js';
import { pipelineSettings } from '../manifests/settings.js';
import { synthPipelineObjects } from '../manifests/synth.js';
import { WORKER_BINARY } from '../runtime/worker-contract.js';
import { emulate, type EmulateOptions, type EmulateResult, type WorkflowTemplate } from './emulator.js';

export type PipelineEmulateOptions = Omit<EmulateOptions, 'workflow' | 'configMaps' | 'secrets' | 'commands'> & {
  /** Where `${VAR}` values come from (they become the Secrets' keys). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** How to run the worker binary. @default this package's bin/argo-ingest.js under this Node.js */
  readonly workerCommand?: readonly string[];
  /**
   * Rehearse into this JSON-lines file instead of OpenMetadata: the pods' config (the ConfigMap) gets
   * `sink: {type: file}` and an OpenMetadata server config without credentials.
   */
  readonly sinkFile?: string;
};

/** The config with a file sink instead of OpenMetadata (see `sinkFile`), loaded like the original. */
export function withFileSink(loaded: LoadedConfig, filename: string): LoadedConfig {
  const doc = parseDocument(loaded.text);
  doc.set('sink', { type: 'file', config: { filename } });
  doc.setIn(['workflowConfig', 'openMetadataServerConfig'], {
    hostPort: 'http://localhost:8585/api',
    authProvider: 'no-auth',
  });
  return parseConfigText(String(doc), loaded.file);
}

/** The pipeline's WorkflowTemplate and ConfigMaps, as the synth writes them. */
export function pipelineManifests(loaded: LoadedConfig): {
  workflow: WorkflowTemplate;
  configMaps: Record<string, Record<string, string>>;
} {
  const objects = synthPipelineObjects(loaded);
  const configMaps: Record<string, Record<string, string>> = {};
  let workflow: WorkflowTemplate | undefined;
  for (const object of objects) {
    const metadata = object.metadata as { name: string };
    if (object.kind === 'ConfigMap') configMaps[metadata.name] = object.data as Record<string, string>;
    if (object.kind === 'WorkflowTemplate') workflow = object as WorkflowTemplate;
  }
  if (!workflow) throw new Error('the synth produced no WorkflowTemplate');
  return { workflow, configMaps };
}

/** The Secrets the pods read, filled from `env`; a variable missing from `env` is an error naming it. */
export function pipelineSecrets(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Record<string, Record<string, string>> {
  const settings = pipelineSettings(loaded);
  const missing = loaded.variables.filter((v) => env[v] === undefined);
  if (missing.length > 0) throw new MissingVariablesError(missing, loaded.file);
  const secrets: Record<string, Record<string, string>> = {};
  const put = (secret: string, key: string, value: string) => {
    secrets[secret] = { ...secrets[secret], [key]: value };
  };
  for (const variable of settings.defaultSecretVariables) put(settings.defaultSecret, variable, env[variable]!);
  for (const m of settings.mappedVariables) put(m.secret, m.key, env[m.variable]!);
  return secrets;
}

/** `node <package>/bin/argo-ingest.js`, found from this module's location (src/ or lib/src/). */
export function defaultWorkerCommand(): string[] {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const bin = join(dir, 'bin', 'argo-ingest.js');
    if (existsSync(bin) && existsSync(join(dir, 'package.json'))) return [process.execPath, bin];
    dir = dirname(dir);
  }
  throw new Error('cannot find bin/argo-ingest.js of this package');
}

export async function emulatePipeline(
  loaded: LoadedConfig,
  options: PipelineEmulateOptions = {},
): Promise<EmulateResult> {
  const { env = process.env, workerCommand, sinkFile, ...rest } = options;
  if (sinkFile !== undefined) loaded = withFileSink(loaded, sinkFile);
  const { workflow, configMaps } = pipelineManifests(loaded);
  return emulate({
    ...rest,
    workflow,
    configMaps,
    secrets: pipelineSecrets(loaded, env),
    commands: { [WORKER_BINARY]: workerCommand ?? defaultWorkerCommand() },
  });
}
