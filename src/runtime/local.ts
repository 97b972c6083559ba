/**
 * The local orchestrator: discover, process every shard, finalize — the worker steps themselves, in one
 * process, with `parallelism` shards at a time (a shared in-process pool). Sequential mode is the same
 * code with one shard and a pool of one. Unlike an Argo pod, a shard here does not list the estate again: it replays its
 * part of discover's listing (ListingCache), within a memory cap.
 */
import { retryPolicyOf, shortMessage, sleeperOf, type RuntimeContext } from './context.js';
import { discover } from './discover.js';
import { finalize } from './finalize.js';
import { ListingCache } from './listing-cache.js';
import { runPool } from './pool.js';
import { partialResultOf, processShard } from './process.js';
import { backoffDelayMs } from '../util/retry.js';
import { CircuitOpenError } from './circuit-breaker.js';
import { WorkerArgumentError } from './errors.js';
import { SinkError } from '../sink/contract.js';
import { createProgressReporter, type ProgressReporter } from './progress.js';
import type { RunReport } from './summary.js';
import type { ShardResult } from './worker-contract.js';

export type LocalMode = 'local' | 'sequential';

export interface LocalRunOptions {
  /** `local`: `parallelism` shards at once; `sequential`: one shard. */
  readonly mode: LocalMode;
  /** Progress display. @default a bar on a terminal, plain lines otherwise, on stderr */
  readonly progress?: ProgressReporter;
  /**
   * Most entity descriptors kept from discover's listing so that shards need not list again; a larger
   * estate is listed once per shard, as on Argo. @default DEFAULT_LISTING_CACHE_ENTITIES (100,000)
   */
  readonly listingCacheEntities?: number;
  /** Most columns per batch. @default BATCH_COLUMN_BUDGET (memory.ts) */
  readonly columnBudget?: number;
}

export const MODE_MESSAGES = {
  local: 'Executing workflow in LOCAL mode',
  sequential: 'Executing workflow in SEQUENTIAL mode',
} as const;

export async function runLocal(ctx: RuntimeContext, options: LocalRunOptions): Promise<RunReport> {
  const started = Date.now();
  const progress = options.progress ?? createProgressReporter();
  const { source } = ctx;
  ctx.logger.info(MODE_MESSAGES[options.mode]);
  // discover's count records the listing (up to a cap); each shard then replays its own part of it
  // instead of listing the estate again, and finalize replays it too. See listing-cache.ts.
  const listing = new ListingCache(source, { maxEntities: options.listingCacheEntities });
  const stepCtx: RuntimeContext = { ...ctx, source: listing.source() };
  const dist = ctx.config.workflowConfig.distributedExecution;
  const parallelism = options.mode === 'local' ? dist.parallelism : 1;
  const discovered = await discover(stepCtx, options.mode === 'local' ? {} : { parallelism: 1, shardFactor: 1 });
  if (!listing.complete) ctx.logger.debug('The listing is larger than the cache; every shard lists it again');
  progress.start(discovered.entities);
  // A retried shard processes its entities again: progress counts each entity once.
  const counted = new Map<number, number>();
  const settled = await runPool(
    discovered.shards,
    parallelism,
    (shard) =>
      retryShard(stepCtx, shard, () => {
        let seen = 0;
        return processShard(
          { ...stepCtx, source: listing.shardSource(shard, discovered.shards) },
          {
            shard,
            shards: discovered.shards,
            onEntity: (ok) => {
              if (++seen <= (counted.get(shard) ?? 0)) return;
              counted.set(shard, seen);
              progress.tick(ok);
            },
            ...(options.columnBudget !== undefined ? { columnBudget: options.columnBudget } : {}),
          },
        );
      }),
    largestFirst(listing.shardSizes(discovered.shards)),
  ).finally(() => progress.finish());

  const results: ShardResult[] = [];
  const shardErrors: { shard: number; error: string }[] = [];
  settled.forEach((outcome, shard) => {
    if (outcome.status === 'fulfilled') results.push(outcome.value);
    else {
      shardErrors.push({ shard, error: shortMessage(outcome.reason) });
      ctx.logger.error(`Shard ${shard} could not run: ${shortMessage(outcome.reason)}`);
      // What its last attempt had written counts as succeeded, the rest as failed.
      const partial = partialResultOf(outcome.reason, shard);
      if (partial) results.push(partial);
    }
  });
  // When no shard could run, the cause (lost credentials, server down) is the run's error, said once.
  const firstFailure = settled.find((s) => s.status === 'rejected');
  // A cancelled run goes on to finalize instead, which starts no delete and reports `Result: cancelled`.
  if (!ctx.signal?.aborted && !settled.some((s) => s.status === 'fulfilled') && firstFailure) {
    throw firstFailure.reason;
  }

  const report = await finalize(stepCtx, { results, entities: discovered.entities });
  return {
    ...report,
    mode: options.mode === 'local' ? 'LOCAL' : 'SEQUENTIAL',
    durationMs: Date.now() - started,
    shardErrors,
    invalidNames: { count: discovered.invalidNameCount, listed: discovered.invalidNames },
  };
}

/**
 * Shard numbers by size, largest first (ties in shard order), when the sizes are known: shards are
 * hashed, so their sizes vary, and a large shard started last would run on alone at the end while the
 * other slots sit idle. Starting the large ones first lets the small ones fill the gaps (longest
 * processing time first). undefined (shard order) when the listing was not cached.
 */
export function largestFirst(sizes: readonly number[] | undefined): number[] | undefined {
  if (!sizes) return undefined;
  return sizes.map((_, shard) => shard).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
}

/**
 * Runs a shard as Argo runs its pod: retried after a failure with the pod-level policy (retryStrategy
 * `limit: maxAttempts - 1`, retryPolicy `Always`, backoff from retryPolicy; src/manifests/retry.ts). Not
 * retried: a cancelled run, a bad argument, lost credentials, an open circuit breaker — no retry can
 * succeed there.
 */
async function retryShard(ctx: RuntimeContext, shard: number, run: () => Promise<ShardResult>): Promise<ShardResult> {
  const policy = retryPolicyOf(ctx.config);
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const final =
        attempt >= policy.maxAttempts ||
        ctx.signal?.aborted === true ||
        error instanceof WorkerArgumentError ||
        error instanceof CircuitOpenError ||
        (error instanceof SinkError && error.reason === 'auth');
      if (final) throw error;
      const delayMs = backoffDelayMs(policy, attempt);
      ctx.logger.warn(
        `Shard ${shard} failed (attempt ${attempt} of ${policy.maxAttempts}): ${shortMessage(error)}; retrying in ${delayMs} ms`,
      );
      await sleeperOf(ctx)(delayMs, ctx.signal);
    }
  }
}
