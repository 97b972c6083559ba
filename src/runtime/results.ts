/**
 * Shard results: parsing what finalize receives (`--results`) and adding them up.
 */
import { z } from 'zod';
import { WorkerArgumentError } from './errors.js';
import { MAX_REPORTED_FAILURES, type ShardResult } from './worker-contract.js';

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
 * Parses `--results`: a JSON list of shard results. Argo's aggregated output parameter may hold each
 * result as an object or as a JSON-encoded string, and may wrap it as `{ "result": ... }`; all are
 * accepted.
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
  /** Failed entities plus the entities of shards that never reported. */
  readonly failed: number;
  readonly created: number;
  readonly updated: number;
  /** The first few failures over all shards, in shard order. */
  readonly failures: readonly { readonly fqn: string; readonly error: string }[];
  /** K, when any shard reported. */
  readonly shards?: number;
  /** Shard numbers that did not report a result. */
  readonly missingShards: readonly number[];
  /** Entities not accounted for by any reported shard. */
  readonly unreported: number;
  /** 0-100; 100 when there was nothing to do. */
  readonly successPercent: number;
}

export function aggregate(results: readonly ShardResult[], discovered: number): RunTotals {
  // A shard that Argo retried reports once; keep one result per shard number if duplicates slip in.
  const byShard = new Map<number, ShardResult>();
  for (const result of results) byShard.set(result.shard, result);
  const ordered = [...byShard.values()].sort((a, b) => a.shard - b.shard);
  const shards = ordered.length > 0 ? Math.max(...ordered.map((r) => r.shards)) : undefined;
  const missingShards: number[] = [];
  if (shards !== undefined) for (let i = 0; i < shards; i++) if (!byShard.has(i)) missingShards.push(i);
  const sum = (pick: (r: ShardResult) => number) => ordered.reduce((n, r) => n + pick(r), 0);
  const processed = sum((r) => r.entities);
  const incomplete = missingShards.length > 0 || (shards === undefined && discovered > 0);
  const unreported = incomplete ? Math.max(0, discovered - processed) : 0;
  const total = incomplete ? Math.max(discovered, processed) : processed;
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
    unreported,
    successPercent: total === 0 ? 100 : (succeeded * 100) / total,
  };
}
