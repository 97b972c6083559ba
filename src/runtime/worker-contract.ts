/**
 * The command line and files shared by the WorkflowTemplate (src/manifests) and the worker runtime
 * (src/cli worker commands). Both sides import this module, so they cannot drift apart.
 */

/** Where the ConfigMap holding the config is mounted in every worker container. */
export const CONFIG_MOUNT_DIR = '/etc/argo-ingest';
export const CONFIG_FILE_NAME = 'config.yaml';
export const CONFIG_PATH = `${CONFIG_MOUNT_DIR}/${CONFIG_FILE_NAME}`;

/** The writable emptyDir for outputs (the root filesystem is read-only). */
export const WORK_DIR = '/tmp/argo-ingest';

/** Files the steps write; Argo reads them as output parameters (`valueFrom.path`). */
export const OUTPUT_FILES = {
  /** discover: the shard count K, a decimal integer. */
  shards: `${WORK_DIR}/shards`,
  /** discover: the number of entities discovered, a decimal integer. */
  entities: `${WORK_DIR}/entities`,
  /** process: the shard's ShardResult as JSON. */
  result: `${WORK_DIR}/result.json`,
} as const;

/** Output parameter names, as the template declares them. */
export const OUTPUT_PARAMETERS = { shards: 'shards', entities: 'entities', result: 'result' } as const;

/** The executable inside the worker image. */
export const WORKER_BINARY = 'argo-ingest';

/** `argo-ingest worker discover --config ... --output-dir ...` */
export function discoverArgs(): string[] {
  return ['worker', 'discover', '--config', CONFIG_PATH, '--output-dir', WORK_DIR];
}

/**
 * `argo-ingest worker process --shard I --shards K ...`; `shard` and `shards` are Argo expressions in
 * the template (`{{item}}`, `{{inputs.parameters.shards}}`) and numbers in local mode.
 */
export function processArgs(shard: string, shards: string): string[] {
  return ['worker', 'process', '--config', CONFIG_PATH, '--shard', shard, '--shards', shards, '--output-dir', WORK_DIR];
}

/**
 * Where finalize reads the JSON list of every shard's result (Argo aggregates the fan-out's output
 * parameters into one JSON array). The template writes it there as a `raw` input artifact rather than
 * passing it as an argument: with hundreds of shards the list outgrows Linux's 128 KiB limit on one
 * command-line argument. Outside every volume mount, so Argo mounts it as a file of its own.
 */
export const RESULTS_FILE = '/var/run/argo-ingest/results.json';

/** `argo-ingest worker finalize --results-file FILE --entities N ...` */
export function finalizeArgs(entities: string): string[] {
  return ['worker', 'finalize', '--config', CONFIG_PATH, '--results-file', RESULTS_FILE, '--entities', entities];
}

/** Environment variable names the runtime reads. */
export const ENV = {
  /** Set by Argo; the worker writes `N/M` there for the UI's progress column. */
  progressFile: 'ARGO_PROGRESS_FILE',
} as const;

/** A shard's outcome: small (counts and the first few failures) so that K of them fit in a parameter. */
export interface ShardResult {
  readonly shard: number;
  readonly shards: number;
  readonly entities: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Upserts that created an entity vs updated one (all kinds, parents excluded). */
  readonly created: number;
  readonly updated: number;
  /** At most MAX_REPORTED_FAILURES, messages truncated to 300 characters. */
  readonly failures: readonly { readonly fqn: string; readonly error: string }[];
  readonly durationMs: number;
}

export const MAX_REPORTED_FAILURES = 5;
