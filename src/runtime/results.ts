/**
 * Shard results: parsing what finalize receives (`--results`) and adding them up.
 */
import { z } from 'zod';
import { WorkerArgumentError } from './errors.js';
export { formatShards } from './format.js';
import { MAX_REPORTED_FAILURES, decodeShardResult, type ShardResult } from './worker-contract.js';

const count = z.number().int().min(0);
const shardResultSchema = z.object({
  shard: count,
  shards: z.number().int().min(1),
  entities: count,
  succeeded: count,
  failed: count,
  created: count,
  updated: count,
  failures: z.array(z.object({ fqn: z.string(), error: z.string() })),
  durationMs: z.number().min(0),
});

/**
 * Parses `--results`: a JSON list of shard results. The template passes
 * `{{steps.process.outputs.parameters}}`, a list of `{"result": "<line>"}` maps (one per shard that
 * succeeded; see encodeShardResult). A result may also be a ShardResult object or its JSON text.
 */
export function parseShardResults(text: string): ShardResult[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new WorkerArgumentError(`--results is not JSON; pass the JSON list of the shards' result.json contents`);
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  return items.map((item, index) => {
    let value: unknown = item;
    if (typeof value === 'string') {
      const line = decodeShardResult(value);
      if (line) return line;
      try {
        value = JSON.parse(value);
      } catch {
        throw new WorkerArgumentError(`--results item ${index} is a string that is not JSON`);
      }
    }
    if (value !== null && typeof value === 'object' && 'result' in value && !('shard' in value)) {
      return parseShardResults(JSON.stringify([(value as { result: unknown }).result]))[0]!;
    }
    const checked = shardResultSchema.safeParse(value);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new WorkerArgumentError(
        `--results item ${index} is not a shard result (${issue.path.join('.') || 'value'}: ${issue.message})`,
      );
    }
    return checked.data;
  });
}

export interface RunTotals {
  /** Entities discover counted. */
  readonly discovered: number;
  /** Entities the success rate is computed over (discovered, or more if the estate grew meanwhile). */
  readonly total: number;
  readonly succeeded: number;
  /** Failed entities plus the entities of shards that never reported (or reported nonsense). */
  readonly failed: number;
  readonly created: number;
  readonly updated: number;
  /** The first few failures over all shards, in shard order. */
  readonly failures: readonly { readonly fqn: string; readonly error: string }[];
  /** K: discover's, or else the largest a shard reported. */
  readonly shards?: number;
  /** Shard numbers without an accepted result (none arrived, or it was rejected). */
  readonly missingShards: readonly number[];
  /** Results finalize refused because they contradict discover, with the reason. */
  readonly rejected: readonly { readonly shard: number; readonly reason: string }[];
  /** Entities not accounted for by any accepted shard result. */
  readonly unreported: number;
  /** 0-100; 100 when there was nothing to do. */
  readonly successPercent: number;
}

export interface AggregateOptions {
  /** K as discover chose it; every shard result must say the same K. */
  readonly shards?: number;
}

/**
 * Why `result` contradicts discover (K shards, `discovered` entities), or undefined when it is
 * consistent: same K, a shard number below K, succeeded + failed = entities, and no more entities than
 * discover found in the whole estate.
 */
export function resultProblem(result: ShardResult, discovered: number, shards: number | undefined): string | undefined {
  if (shards !== undefined && result.shards !== shards)
    return `it counts ${result.shards} shards, but discover chose ${shards}`;
  if (result.shard >= result.shards) return `shard ${result.shard} does not exist among ${result.shards}`;
  if (result.succeeded > result.entities)
    return `${result.succeeded} succeeded is more than its ${result.entities} entities`;
  if (result.succeeded + result.failed !== result.entities)
    return `${result.succeeded} succeeded + ${result.failed} failed is not its ${result.entities} entities`;
  if (result.entities > discovered)
    return `${result.entities} entities is more than discover found in all (${discovered})`;
  return undefined;
}

export function aggregate(
  results: readonly ShardResult[],
  discovered: number,
  options: AggregateOptions = {},
): RunTotals {
  const expected = options.shards;
  const rejected: { shard: number; reason: string }[] = [];
  // A shard that Argo retried reports once; keep one result per shard number if duplicates slip in.
  const byShard = new Map<number, ShardResult>();
  for (const result of results) {
    const problem = resultProblem(result, discovered, expected);
    if (problem) rejected.push({ shard: result.shard, reason: problem });
    else byShard.set(result.shard, result);
  }
  const ordered = [...byShard.values()].sort((a, b) => a.shard - b.shard);
  const shards = expected ?? (ordered.length > 0 ? Math.max(...ordered.map((r) => r.shards)) : undefined);
  const missingShards: number[] = [];
  if (shards !== undefined) for (let i = 0; i < shards; i++) if (!byShard.has(i)) missingShards.push(i);
  const sum = (pick: (r: ShardResult) => number) => ordered.reduce((n, r) => n + pick(r), 0);
  const processed = sum((r) => r.entities);
  // What discover found and no accepted result accounts for counts as failed, whichever the reason.
  const unreported = Math.max(0, discovered - processed);
  const total = Math.max(discovered, processed);
  const succeeded = sum((r) => r.succeeded);
  return {
    discovered,
    total,
    succeeded,
    failed: sum((r) => r.failed) + unreported,
    created: sum((r) => r.created),
    updated: sum((r) => r.updated),
    failures: ordered.flatMap((r) => r.failures).slice(0, MAX_REPORTED_FAILURES),
    ...(shards !== undefined ? { shards } : {}),
    missingShards,
    rejected,
    unreported,
    successPercent: total === 0 ? 100 : (succeeded * 100) / total,
  };
}
