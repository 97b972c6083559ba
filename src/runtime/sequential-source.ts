/**
 * Running a SequentialSource (one that cannot list its entities cheaply): every request of `all()` is
 * upserted in order with the same per-entity retry and error isolation as a shard, and the outcome is
 * reported as the one shard of a one-shard run so that finalize treats it like any other.
 */
import type { EntityDescriptor, SequentialSource, UpsertRequest } from '../sources/contract.js';
import { shortMessage, type RuntimeContext } from './context.js';
import { escapeName, invalidNameOf } from './names.js';
import { isRunFatalSinkError, upsertWithRetry } from './process.js';
import { ShardTally } from './tally.js';
import type { ShardResult } from './worker-contract.js';

/** Request kinds that are entities (counted, reported, mark-deleted); the others are their containers or parts. */
const ENTITY_KINDS = new Set<UpsertRequest['kind']>(['table', 'dashboard']);

export interface SequentialContext extends Omit<RuntimeContext, 'source'> {
  readonly source: SequentialSource;
}

export interface SequentialRun {
  readonly result: ShardResult;
  /** Every entity the source produced, for finalize's mark-deleted. */
  readonly entities: readonly EntityDescriptor[];
  /** The containers it listed (database schemas; the service of a dashboard source): the deletion scope. */
  readonly containers: readonly string[];
}

export async function runSequentialSource(
  ctx: SequentialContext,
  onEntity?: (ok: boolean) => void,
): Promise<SequentialRun> {
  const tally = new ShardTally();
  const entities: EntityDescriptor[] = [];
  const containers: string[] = [];
  for await (const request of ctx.source.all()) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    const isEntity = ENTITY_KINDS.has(request.kind);
    const invalid = isEntity ? invalidNameOf(request.fqn) : undefined;
    if (invalid) {
      ctx.logger.warn(`Not ingesting ${request.kind} ${escapeName(request.fqn)}: ${invalid.problem}`);
      continue;
    }
    if (isEntity) entities.push({ fqn: request.fqn, type: request.kind as 'table' | 'dashboard' });
    if (request.kind === 'databaseSchema' || request.kind === 'dashboardService') containers.push(request.fqn);
    try {
      const outcome = await upsertWithRetry(ctx, request);
      if (!isEntity) continue;
      tally.succeed(outcome === 'created' ? 1 : 0, outcome === 'created' ? 0 : 1);
      onEntity?.(true);
    } catch (error) {
      if (isRunFatalSinkError(error)) throw error;
      ctx.logger.warn(`Failed ${request.kind} ${escapeName(request.fqn)}: ${shortMessage(error)}`);
      if (!isEntity) continue;
      tally.fail(request.fqn, shortMessage(error));
      onEntity?.(false);
    }
  }
  return { entities, containers, result: tally.result(0, 1, entities.length) };
}
