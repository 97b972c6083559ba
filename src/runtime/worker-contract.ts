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
  /** process: the shard's result line (encodeShardResult). */
  result: `${WORK_DIR}/result`,
  /** discover: the entities not ingested for their names (encodeNotIngested), for finalize's summary. */
  notIngested: `${WORK_DIR}/not-ingested`,
} as const;

/** Output parameter names, as the template declares them. */
export const OUTPUT_PARAMETERS = {
  shards: 'shards',
  entities: 'entities',
  result: 'result',
  notIngested: 'not-ingested',
} as const;

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
 * Where finalize reads the aggregated shard results. The template passes them as a `raw` argument
 * artifact of the finalize step (so they appear once in the pod's ARGO_TEMPLATE, not also as an input
 * parameter and as container arguments), and the file lies inside WORK_DIR's emptyDir: with Argo 4.1's
 * init-less pod layout the executor writes input artifacts through the main container's mounts, and a
 * path on the root filesystem fails under `readOnlyRootFilesystem: true`.
 */
export const RESULTS_FILE = `${WORK_DIR}/results.json`;
/** The name of finalize's input artifact holding RESULTS_FILE. */
export const RESULTS_ARTIFACT = 'results';

/**
 * `argo-ingest worker finalize --results-file FILE --entities N --shards K --not-ingested JSON ...`: N, K
 * and the not-ingested report are discover's outputs, so finalize can tell which shards are missing even
 * when none reported, and its summary names what discover left out (as a local run's does).
 */
export function finalizeArgs(entities: string, shards: string, notIngested?: string): string[] {
  return [
    'worker',
    'finalize',
    '--config',
    CONFIG_PATH,
    '--results-file',
    RESULTS_FILE,
    '--entities',
    entities,
    '--shards',
    shards,
    ...(notIngested !== undefined ? ['--not-ingested', notIngested] : []),
  ];
}

/** Entities discover did not ingest because OpenMetadata cannot take their name: a count and a few. */
export interface NotIngested {
  readonly count: number;
  readonly listed: readonly { readonly fqn: string; readonly problem: string }[];
}

/** At most this many named in discover's output (the rest are counted; every one is in its log). */
export const NOT_INGESTED_LISTED = 5;
const NOT_INGESTED_FQN_BYTES = 240;
const NOT_INGESTED_PROBLEM_BYTES = 160;

/**
 * discover's `not-ingested` output, for finalize's summary: JSON of the count and at most
 * NOT_INGESTED_LISTED names with their rules, each percent-encoded (encodeURIComponent) and cut to a
 * byte budget. Percent-encoding leaves nothing that Argo's substitution escapes again (simpleReplace in
 * util/template quotes values with strconv.Quote: a quote or backslash in a raw name would double), so
 * the parameter stays under about 2.1 KB in finalize's pod (ARGO_TEMPLATE) whatever the names.
 */
export function encodeNotIngested(report: NotIngested): string {
  return JSON.stringify({
    count: report.count,
    listed: report.listed.slice(0, NOT_INGESTED_LISTED).map((n) => ({
      fqn: percentEncodedWithin(n.fqn, NOT_INGESTED_FQN_BYTES),
      problem: percentEncodedWithin(n.problem, NOT_INGESTED_PROBLEM_BYTES),
    })),
  });
}

/** encodeURIComponent of `text`, cut at a code point (with "…") so that it fits `maxBytes`. */
function percentEncodedWithin(text: string, maxBytes: number): string {
  // Lone surrogates (which encodeURIComponent refuses) become U+FFFD.
  const wellFormed = text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  const whole = encodeURIComponent(wellFormed);
  if (whole.length <= maxBytes) return whole;
  const ellipsis = encodeURIComponent('…');
  let out = '';
  for (const char of wellFormed) {
    const next = encodeURIComponent(char);
    if (out.length + next.length + ellipsis.length > maxBytes) break;
    out += next;
  }
  return out + ellipsis;
}

/** The report encodeNotIngested wrote; undefined when `text` is not one. */
export function decodeNotIngested(text: string): NotIngested | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const v = value as { count?: unknown; listed?: unknown };
  if (typeof value !== 'object' || value === null || !Number.isInteger(v.count) || (v.count as number) < 0) {
    return undefined;
  }
  if (!Array.isArray(v.listed)) return undefined;
  const listed = v.listed.filter(
    (n): n is { fqn: string; problem: string } =>
      typeof n === 'object' && n !== null && typeof n.fqn === 'string' && typeof n.problem === 'string',
  );
  if (listed.length !== v.listed.length || listed.length > (v.count as number)) return undefined;
  try {
    return {
      count: v.count as number,
      listed: listed.map(({ fqn, problem }) => ({
        fqn: decodeURIComponent(fqn),
        problem: decodeURIComponent(problem),
      })),
    };
  } catch {
    return undefined; // not percent-encoding
  }
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

/**
 * The most bytes of one shard's `result` output parameter. K of them travel to finalize inside the
 * pod's ARGO_TEMPLATE environment variable, which must stay under Argo's 131,072-byte MaxEnvVarLen
 * (workflow/common/common.go): 1,000 shards x (100 bytes plus 17 bytes of `{"result":"..."},` wrapper once
 * escaped) leaves room for the rest of the template. See docs/manifests.md.
 */
export const RESULT_MAX_BYTES = 100;

/**
 * The `result` output parameter: one line of ASCII without quotes or backslashes, so that JSON escaping
 * (Argo's aggregation, then ARGO_TEMPLATE) adds nothing to it:
 *
 *   s=3/60 n=75 ok=74 f=1 c=2 u=72 ms=5321 e=warehouse.sales.orders: 400 invalid name
 *
 * shard/shards, entities, succeeded, failed, created, updated, duration, and the first failure cut to
 * fit RESULT_MAX_BYTES (the pod log has every failure).
 */
export function encodeShardResult(result: ShardResult): string {
  const counts =
    `s=${result.shard}/${result.shards} n=${result.entities} ok=${result.succeeded} f=${result.failed} ` +
    `c=${result.created} u=${result.updated} ms=${Math.round(result.durationMs)}`;
  const first = result.failures[0];
  if (!first) return counts;
  const room = RESULT_MAX_BYTES - counts.length - ' e='.length;
  if (room < 8) return counts;
  const error = safeText(`${first.fqn}: ${first.error}`);
  return `${counts} e=${error.length > room ? `${error.slice(0, room - 3)}...` : error}`;
}

const RESULT_LINE =
  /^s=(\d{1,9})\/(\d{1,9}) n=(\d{1,12}) ok=(\d{1,12}) f=(\d{1,12}) c=(\d{1,12}) u=(\d{1,12}) ms=(\d{1,15})(?: e=(.*))?$/;

/** The ShardResult of a `result` line, or undefined when `line` is not one. */
export function decodeShardResult(line: string): ShardResult | undefined {
  const m = RESULT_LINE.exec(line.trim());
  if (!m) return undefined;
  const n = (i: number) => Number(m[i]);
  const error = m[9];
  return {
    shard: n(1),
    shards: n(2),
    entities: n(3),
    succeeded: n(4),
    failed: n(5),
    created: n(6),
    updated: n(7),
    durationMs: n(8),
    failures: error !== undefined ? [{ fqn: '', error }] : [],
  };
}

/**
 * Printable ASCII without the characters JSON or Go's HTML-safe encoder would escape (`"`, `\\`, `<`,
 * `>`, `&`) and without Argo's `{{`: each kept byte costs one byte however often the text is escaped.
 */
function safeText(text: string): string {
  return text.replace(/[^\x20-\x7e]+/g, ' ').replace(/["\\<>&{}]/g, "'");
}
