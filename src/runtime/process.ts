/**
 * The process step of one shard: list the entities again, keep the shard's own (stable hash), turn them
 * into create requests in batches, upsert them, and report a small ShardResult.
 *
 * Error isolation (DESIGN.md "The Argo shape", 5-6): a bad entity is retried when its fault is transient
 * (the config's retryPolicy) and otherwise recorded as a failure; the shard fails as a whole (throws)
 * only when it cannot run at all: the source cannot list or process a batch, or the sink refuses our
 * credentials or stays unreachable.
 *
 * Bulk: when the sink can upsert tables in bulk (sink.upsertMany), the table requests of a batch go in
 * one call first; entities whose items failed, and every entity when the bulk call itself failed, then
 * take the single-PUT path below with the usual per-entity retries.
 */
import { SinkError, type BulkItemResult, type UpsertResult } from '../sink/contract.js';
import { splitFqn } from '../model/fqn.js';
import type { EntityDescriptor, EntityOutcome } from '../sources/contract.js';
import type { UpsertRequest } from '../model/entities.js';
import { CircuitOpenError } from './circuit-breaker.js';
import { retryPolicyOf, shortMessage, sleeperOf, type RuntimeContext } from './context.js';
import { WorkerArgumentError } from './errors.js';
import { BATCH_COLUMN_BUDGET, entityWeight } from './memory.js';
import { escapeName, invalidNameOf } from './names.js';
import { progressFile } from './progress-file.js';
import { backoffDelayMs, entityRetryBudget, isTransient, withRetry } from '../util/retry.js';
import { shardOf } from './shards.js';
import { ShardTally } from './tally.js';
import type { ShardResult } from './worker-contract.js';

export interface ProcessOptions {
  /** 0-based shard number. */
  readonly shard: number;
  /** Shard count K, as discover chose it. */
  readonly shards: number;
  /** Called once the shard's entities are known. */
  readonly onStart?: (entities: number) => void;
  /** Called after every entity, successful or not. */
  readonly onEntity?: (ok: boolean) => void;
  /** `$ARGO_PROGRESS_FILE`: receives `N/M` after every batch. */
  readonly progressFile?: string;
  /** Most columns per batch (memory.ts). @default BATCH_COLUMN_BUDGET */
  readonly columnBudget?: number;
}

/** One entity's fate after retries. */
type EntityResult =
  | { readonly ok: true; readonly created: number; readonly updated: number }
  | { readonly ok: false; readonly error: string };

export async function processShard(ctx: RuntimeContext, options: ProcessOptions): Promise<ShardResult> {
  const { shard, shards } = options;
  if (!Number.isInteger(shards) || shards < 1)
    throw new WorkerArgumentError(`--shards must be a positive integer, not ${shards}`);
  if (!Number.isInteger(shard) || shard < 0 || shard >= shards) {
    throw new WorkerArgumentError(`--shard must be a whole number from 0 to ${shards - 1}, not ${shard}`);
  }
  const tally = new ShardTally();
  const mine = await listShard(ctx, shard, shards);
  options.onStart?.(mine.length);
  const progress = progressFile(options.progressFile, ctx.logger);
  await progress.update(0, mine.length);

  try {
    const { chunkSize } = ctx.config.workflowConfig.distributedExecution;
    const columnBudget = options.columnBudget ?? BATCH_COLUMN_BUDGET;
    // Source batches hold one schema each (the source queries per schema), but a bulk request may carry
    // tables of several: when the sink has upsertMany, consecutive source batches are upserted together,
    // up to chunkSize entities and the column budget, so a shard that straddles schemas does not pay one
    // bulk request per schema (on a server without bulk, upsertMany declines and the same group goes
    // entity by entity). A sink without upsertMany upserts each batch as soon as it is processed.
    const together = ctx.sink.upsertMany !== undefined;
    let pending: EntityDescriptor[] = [];
    let pendingColumns = 0;
    const pendingOutcomes = new Map<string, EntityOutcome>();
    const upsertPending = async () => {
      if (pending.length === 0) return;
      const entities = pending;
      pending = [];
      pendingColumns = 0;
      const inBulk = await upsertBatchInBulk(ctx, entities, pendingOutcomes);
      for (const entity of entities) {
        const outcome = pendingOutcomes.get(entity.fqn);
        pendingOutcomes.delete(entity.fqn);
        const result = inBulk.get(entity.fqn) ?? (await ingestEntity(ctx, entity, outcome));
        if (result.ok) tally.succeed(result.created, result.updated);
        else {
          ctx.logger.warn(`Failed ${entity.type} ${escapeName(entity.fqn)}: ${result.error}`);
          tally.fail(entity.fqn, result.error);
        }
        options.onEntity?.(result.ok);
      }
      await progress.update(tally.done, mine.length);
    };
    for (const batch of batches(mine, chunkSize, columnBudget)) {
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      const columns = batch.reduce((sum, entity) => sum + entityWeight(entity), 0);
      if (pending.length + batch.length > chunkSize || pendingColumns + columns > columnBudget) await upsertPending();
      const outcomes = await processBatch(ctx, batch);
      pending.push(...batch);
      pendingColumns += columns;
      for (const [fqn, outcome] of outcomes) pendingOutcomes.set(fqn, outcome);
      if (!together) await upsertPending();
    }
    await upsertPending();
  } catch (error) {
    // What OpenMetadata received before the shard failed stays received: the local orchestrator counts
    // it when no retry of the shard succeeds (partialResultOf). The entities not reached count as failed.
    if (typeof error === 'object' && error !== null) {
      const message = `shard ${shard} stopped: ${shortMessage(error)}`;
      for (const entity of mine.slice(tally.done)) tally.fail(entity.fqn, message);
      const byShard = PARTIAL_RESULTS.get(error) ?? new Map<number, ShardResult>();
      byShard.set(shard, tally.result(shard, shards, mine.length));
      PARTIAL_RESULTS.set(error, byShard);
    }
    throw error;
  }
  // A signal during the last batch failed its in-flight requests: that is a cancelled shard, not a result.
  if (ctx.signal?.aborted) throw ctx.signal.reason;
  return tally.result(shard, shards, mine.length);
}

/** By error, then shard: one error object (an open circuit, a cancellation) can end many shards. */
const PARTIAL_RESULTS = new WeakMap<object, Map<number, ShardResult>>();

/**
 * The counts of a shard that threw `error`: entities it upserted before failing count as succeeded, the
 * rest as failed. Undefined for an error processShard did not throw.
 */
export function partialResultOf(error: unknown, shard: number): ShardResult | undefined {
  return typeof error === 'object' && error !== null ? PARTIAL_RESULTS.get(error)?.get(shard) : undefined;
}

/** The shard's descriptors, in discovery order. Memory is bounded by the shard, not the estate. */
async function listShard(ctx: RuntimeContext, shard: number, shards: number): Promise<EntityDescriptor[]> {
  const mine: EntityDescriptor[] = [];
  for await (const descriptor of ctx.source.discover()) {
    // Names OpenMetadata cannot take were reported by discover and are not part of any shard.
    if (shardOf(descriptor.fqn, shards) === shard && !invalidNameOf(descriptor.fqn)) mine.push(descriptor);
  }
  return mine;
}

/** The FQN of an entity's container (its schema for a table), which batches must not straddle. */
function parentOf(fqn: string): string {
  return JSON.stringify(splitFqn(fqn).slice(0, -1));
}

/**
 * Consecutive entities of one container, at most `size` at a time and at most `columnBudget` columns
 * (entityWeight; an entity wider than the budget is a batch of its own): the source fetches a batch's
 * metadata with O(1) queries per schema, and a batch's memory is bounded by its columns.
 */
export function* batches(
  entities: readonly EntityDescriptor[],
  size: number,
  columnBudget = Infinity,
): Generator<EntityDescriptor[]> {
  let batch: EntityDescriptor[] = [];
  let weight = 0;
  let parent: string | undefined;
  for (const entity of entities) {
    const entityParent = parentOf(entity.fqn);
    const columns = entityWeight(entity);
    if (batch.length > 0 && (batch.length >= size || entityParent !== parent || weight + columns > columnBudget)) {
      yield batch;
      batch = [];
      weight = 0;
    }
    parent = entityParent;
    batch.push(entity);
    weight += columns;
  }
  if (batch.length > 0) yield batch;
}

/** source.process() for a batch, retried as a whole only for network-level faults. */
async function processBatch(
  ctx: RuntimeContext,
  batch: readonly EntityDescriptor[],
): Promise<Map<string, EntityOutcome>> {
  const outcomes = await withRetry(() => ctx.source.process(batch), retryPolicyOf(ctx.config), {
    signal: ctx.signal,
    sleep: sleeperOf(ctx),
    onRetry: ({ attempt, delayMs, error }) =>
      ctx.logger.warn(
        `Batch of ${batch.length} failed (attempt ${attempt}): ${shortMessage(error)}; retrying in ${delayMs} ms`,
      ),
  });
  return new Map(outcomes.map((o) => [o.fqn, o]));
}

/**
 * The table requests of a batch's successful outcomes upserted with one sink.upsertMany call. Returns
 * the entities that are done (every request of theirs accepted); the others take ingestEntity. A bulk
 * call that fails as a whole (after the sink's batch retries) leaves every entity to ingestEntity,
 * except lost credentials, which end the shard.
 */
async function upsertBatchInBulk(
  ctx: RuntimeContext,
  batch: readonly EntityDescriptor[],
  outcomes: ReadonlyMap<string, EntityOutcome>,
): Promise<Map<string, EntityResult>> {
  const done = new Map<string, EntityResult>();
  if (!ctx.sink.upsertMany) return done;
  const owners: string[] = [];
  const requests: UpsertRequest[] = [];
  for (const entity of batch) {
    const outcome = outcomes.get(entity.fqn);
    if (!outcome?.ok || outcome.requests.length === 0 || outcome.requests.some((r) => r.kind !== 'table')) continue;
    for (const request of outcome.requests) {
      owners.push(entity.fqn);
      requests.push(request);
    }
  }
  if (requests.length === 0) return done;
  let results: BulkItemResult[] | undefined;
  try {
    results = await ctx.sink.upsertMany(requests);
  } catch (error) {
    if (isShardFatal(error)) throw error;
    ctx.logger.debug(
      `Bulk upsert of ${requests.length} table(s) failed (${shortMessage(error)}); upserting them one by one`,
    );
    return done;
  }
  if (results === undefined) return done;
  const failed = new Set<string>();
  const counts = new Map<string, { created: number; updated: number }>();
  results.forEach((result, i) => {
    const owner = owners[i]!;
    if (typeof result !== 'string') {
      failed.add(owner);
      ctx.logger.debug(`Bulk item ${requests[i]!.fqn} failed (${shortMessage(result)}); retrying it alone`);
      return;
    }
    const c = counts.get(owner) ?? { created: 0, updated: 0 };
    if (result === 'created') c.created++;
    else c.updated++;
    counts.set(owner, c);
  });
  for (const [fqn, c] of counts) if (!failed.has(fqn)) done.set(fqn, { ok: true, ...c });
  return done;
}

/** Lost credentials end the whole shard at once: no other entity can succeed either. */
function isShardFatal(error: unknown): boolean {
  return (error instanceof SinkError && error.reason === 'auth') || error instanceof CircuitOpenError;
}

/** One parent upsert, with the same retry budget as an entity (entityRetryBudget); for discover and sequential sources. */
export function upsertWithRetry(
  ctx: Pick<RuntimeContext, 'config' | 'sink' | 'signal' | 'sleep'>,
  request: UpsertRequest,
): Promise<UpsertResult> {
  return ctx.sink.upsert(request, entityRetryBudget(retryPolicyOf(ctx.config)));
}

/**
 * A sink error that outlasted its retries and that no other entity can get past either: lost
 * credentials, or a server that stays unreachable. It fails the shard (or the step), not the entity.
 */
export function isRunFatalSinkError(error: unknown): error is SinkError {
  return error instanceof SinkError && (error.reason === 'auth' || error.reason === 'unreachable');
}

/**
 * Upserts one entity's requests. Retries have one owner each (docs/runtime.md "Retries"): a retryable
 * source outcome is processed again (alone) here, up to retryPolicy.maxAttempts tries; the transient
 * faults of the writes are retried by the sink, drawing on the entity's one budget (entityRetryBudget)
 * shared by all its requests. A sink error is final for the entity.
 */
async function ingestEntity(
  ctx: RuntimeContext,
  entity: EntityDescriptor,
  first: EntityOutcome | undefined,
): Promise<EntityResult> {
  const policy = retryPolicyOf(ctx.config);
  const sleep = sleeperOf(ctx);
  const budget = entityRetryBudget(policy);
  let outcome: EntityOutcome = first ?? {
    fqn: entity.fqn,
    ok: false,
    error: 'the source returned no result for this entity',
    retryable: false,
  };
  for (let attempt = 1; ; attempt++) {
    if (outcome.ok) {
      let created = 0;
      let updated = 0;
      try {
        for (const request of outcome.requests) {
          if ((await ctx.sink.upsert(request, budget)) === 'created') created++;
          else updated++;
        }
        return { ok: true, created, updated };
      } catch (sinkError) {
        // A server that stays unreachable through every retry is not this entity's fault.
        if (isShardFatal(sinkError) || isRunFatalSinkError(sinkError)) throw sinkError;
        return { ok: false, error: shortMessage(sinkError) };
      }
    }
    if (!outcome.retryable || attempt >= policy.maxAttempts || ctx.signal?.aborted) {
      return { ok: false, error: shortMessage(outcome.error) };
    }
    const delayMs = backoffDelayMs(policy, attempt);
    ctx.logger.debug(
      `Retrying ${escapeName(entity.fqn)} in ${delayMs} ms (attempt ${attempt} failed: ${shortMessage(outcome.error)})`,
    );
    await sleep(delayMs, ctx.signal);
    outcome = await processAgain(ctx, entity, outcome);
  }
}

/** source.process() of one entity for a retry; a transient throw is one more retryable outcome. */
async function processAgain(
  ctx: RuntimeContext,
  entity: EntityDescriptor,
  previous: EntityOutcome,
): Promise<EntityOutcome> {
  try {
    const again = await ctx.source.process([entity]);
    return again.find((o) => o.fqn === entity.fqn) ?? previous;
  } catch (error) {
    if (!isTransient(error)) throw error;
    return { fqn: entity.fqn, ok: false, error: shortMessage(error), retryable: true };
  }
}
