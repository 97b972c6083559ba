/**
 * What a valid config will do, as `validate` prints it: mode, shards, pods, retries, schedule, where each
 * `${VAR}` comes from, ignored keys. Pure: reads the config, never connects, never prints a value.
 */
import { memoryWarnings } from '../runtime/memory.js';
import { maxShardCount } from '../runtime/shards.js';
import { NEWEST_DIALECT } from '../sink/dialect.js';
import { withoutUserinfo } from '../sink/paths.js';
import { CONNECTIONS } from '../config/connections/index.js';
import { executionMode, type ExecutionMode } from '../config/distributed.js';
import type { LoadedConfig } from '../config/load.js';
import { credentialsSecretName, pipelineName } from '../config/names.js';

export interface VariableSource {
  readonly name: string;
  /** Kubernetes: the Secret and key the pod reads it from. */
  readonly secret?: string;
  readonly key?: string;
  /** Local and sequential runs: whether the current environment sets it (never its value). */
  readonly setInEnvironment: boolean;
}

export interface ConfigDescription {
  readonly valid: true;
  readonly mode: ExecutionMode;
  readonly source: { readonly type: string; readonly kind: string; readonly serviceName: string };
  readonly sink: string;
  /**
   * What the sink sends: the body dialect and how tables go. For metadata-rest both are decided at run
   * time from the version the server announces, so this says how, not which.
   */
  readonly sinkMode: { readonly dialect: string; readonly tables: string };
  /** Argo only. */
  readonly pipeline?: { readonly name: string; readonly namespace: string; readonly image: string };
  readonly parallelism: number;
  readonly chunkSize: number;
  /** Upper bound of shards; discovery picks the count from the number of entities. */
  readonly maxShards: number;
  /** Pods of one Argo run at most: discover + shards + finalize (without retries). */
  readonly maxPods?: number;
  readonly retryPolicy: {
    readonly maxAttempts: number;
    readonly backoffSeconds: number;
    readonly backoffFactor: number;
    readonly maxBackoffSeconds: number;
  };
  readonly schedule?: { readonly cron: string; readonly timezone: string; readonly concurrencyPolicy: string };
  readonly variables: readonly VariableSource[];
  readonly ignoredKeys: readonly string[];
  /** Valid but probably not meant (e.g. an OpenMetadata hostPort without /api). */
  readonly warnings: readonly string[];
}

export function describeConfig(loaded: LoadedConfig, env: NodeJS.ProcessEnv): ConfigDescription {
  const { config } = loaded;
  const dist = config.workflowConfig.distributedExecution;
  const mode = executionMode(dist);
  const connector = CONNECTIONS[config.source.type];
  const maxShards = mode === 'sequential' ? 1 : maxShardCount(dist);
  const name = mode === 'argo' ? pipelineName(config, loaded.file) : undefined;
  const variables = loaded.variables.map((variable): VariableSource => {
    const mapped = dist.secrets.variables[variable];
    const base = { name: variable, setInEnvironment: env[variable] !== undefined };
    if (name === undefined) return base;
    const secret = mapped?.secret ?? dist.secrets.name ?? credentialsSecretName(name);
    return { ...base, secret, key: mapped?.key ?? variable };
  });
  return {
    valid: true,
    mode,
    source: {
      type: config.source.type,
      kind: connector?.kind ?? 'unknown',
      serviceName: config.source.serviceName,
    },
    sink: config.sink.type,
    sinkMode: sinkModeOf(config.sink.type),
    ...(name ? { pipeline: { name, namespace: dist.namespace, image: dist.image } } : {}),
    parallelism: mode === 'sequential' ? 1 : dist.parallelism,
    chunkSize: dist.chunkSize,
    maxShards,
    ...(mode === 'argo' ? { maxPods: maxShards + 2 } : {}),
    retryPolicy: { ...dist.retryPolicy },
    ...(mode === 'argo' && dist.schedule
      ? { schedule: { cron: dist.schedule, timezone: dist.timezone, concurrencyPolicy: dist.concurrencyPolicy } }
      : {}),
    variables,
    ignoredKeys: loaded.ignoredKeys,
    warnings: warningsFor(loaded),
  };
}

const MODE_TEXT: Record<ExecutionMode, string> = {
  sequential: 'SEQUENTIAL (distributedExecution disabled or omitted: one entity after another, in this process)',
  local: 'LOCAL (shards run in this process, `parallelism` at a time; no Kubernetes needed)',
  argo: 'DISTRIBUTED on Argo Workflows (discover -> parallel shard pods -> finalize)',
};

export function formatConfigDescription(file: string, desc: ConfigDescription): string {
  const rows: [string, string][] = [
    ['mode', MODE_TEXT[desc.mode]],
    ['source', `${desc.source.type} (${desc.source.kind} service "${desc.source.serviceName}")`],
    ['sink', desc.sink],
    [
      'bodies',
      desc.sink === 'file'
        ? `${NEWEST_DIALECT} (no server: the newest dialect)`
        : `by the server's version at run time: openmetadata-1.0 for 1.0.x, else ${NEWEST_DIALECT}; tables in bulk from 1.13.4`,
    ],
  ];
  if (desc.pipeline) {
    rows.push([
      'pipeline',
      `${desc.pipeline.name} in namespace ${desc.pipeline.namespace}, image ${desc.pipeline.image}`,
    ]);
  }
  if (desc.mode !== 'sequential') {
    rows.push([
      'shards',
      `K = ${Math.min(desc.parallelism, desc.maxShards)} to ${desc.maxShards} once there are ${desc.parallelism}+ entities ` +
        (desc.mode === 'argo'
          ? `(max(parallelism, entities / 5), at most parallelism x shardFactor); 1 per 5 entities below that; `
          : `(max(parallelism, entities), at most parallelism x shardFactor); 1 per entity below that; `) +
        `${desc.chunkSize} entities per batch`,
    ]);
    rows.push([
      desc.mode === 'argo' ? 'pods' : 'concurrency',
      desc.mode === 'argo'
        ? `${desc.parallelism} at once; at most ${String(desc.maxPods)} per run (1 discover + ${desc.maxShards} shards + 1 finalize) before retries`
        : `${desc.parallelism} shards at once`,
    ]);
  }
  const r = desc.retryPolicy;
  rows.push([
    'retries',
    `${r.maxAttempts} attempts per entity${desc.mode === 'argo' ? ' and per pod' : ''}; ` +
      `backoff ${r.backoffSeconds}s x${r.backoffFactor}, at most ${r.maxBackoffSeconds}s`,
  ]);
  if (desc.schedule) {
    rows.push([
      'schedule',
      `"${desc.schedule.cron}" (${desc.schedule.timezone}), concurrencyPolicy ${desc.schedule.concurrencyPolicy}`,
    ]);
  }
  const lines = [`${file}: valid`];
  for (const [key, value] of rows) lines.push(`  ${`${key}:`.padEnd(13)}${value}`);
  if (desc.variables.length > 0) {
    lines.push('  variables:');
    for (const v of desc.variables) {
      lines.push(
        v.secret
          ? `    \${${v.name}} <- Secret ${v.secret}, key ${v.key ?? v.name}`
          : `    \${${v.name}} <- environment (${v.setInEnvironment ? 'set' : 'NOT SET: export it before `argo-ingest run`'})`,
      );
    }
  }
  if (desc.ignoredKeys.length > 0) {
    lines.push('  ignored (accepted for OpenMetadata compatibility, not acted on):');
    for (const key of desc.ignoredKeys) lines.push(`    ${key}`);
  }
  for (const warning of desc.warnings) lines.push(`  warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

function warningsFor(loaded: LoadedConfig): string[] {
  const warnings: string[] = [];
  const hostPort = loaded.config.workflowConfig.openMetadataServerConfig.hostPort;
  // `${VAR}` values are checked by the sink's start-up check instead, where the value is known.
  if (!hostPort.includes('${') && !/\/api\/?$/.test(hostPort)) {
    warnings.push(
      `workflowConfig.openMetadataServerConfig.hostPort (${withoutUserinfo(hostPort)}) does not end in /api; the sink calls ` +
        '<hostPort>/v1/..., so it is usually http://<host>:8585/api',
    );
  }
  // Only a pod has a memory limit; LOCAL / SEQUENTIAL runs use the machine's memory.
  if (executionMode(loaded.config.workflowConfig.distributedExecution) === 'argo') {
    warnings.push(...memoryWarnings(loaded.config.workflowConfig.distributedExecution));
  }
  return warnings;
}

/** ConfigDescription.sinkMode: the file sink's is fixed; the REST sink's depends on the server (src/sink/dialect.ts). */
function sinkModeOf(sinkType: string): ConfigDescription['sinkMode'] {
  if (sinkType === 'file') {
    return { dialect: `${NEWEST_DIALECT} (no server: the newest)`, tables: 'one JSON line each (file)' };
  }
  return {
    dialect:
      'decided at run time from GET /v1/system/version: openmetadata-1.0 for 1.0.x, ' +
      `${NEWEST_DIALECT} for 1.1 and later (unknown newer versions too)`,
    tables:
      'decided at run time: in bulk (PUT /v1/tables/bulk, one request per batch of chunkSize) from 1.13.4, ' +
      'one PUT each before that or when the server answers the bulk route 404/405',
  };
}
