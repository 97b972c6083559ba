/**
 * The finalize step: add up the shard results, apply workflowConfig.successThreshold, and run
 * mark-deleted when (and only when) the run was complete and clean.
 */
import type { IngestionConfig } from '../config/schema.js';
import type { Sink } from '../sink/contract.js';
import type { DiscoverableSource } from '../sources/contract.js';
import { shortMessage } from './context.js';
import type { Logger } from './logger.js';
import { markDeletedEntities, markDeletedKind, type MarkDeletedOutcome } from './mark-deleted.js';
import { aggregate, formatShards, type RunTotals } from './results.js';
import type { ShardResult } from './worker-contract.js';

export interface FinalizeContext {
  readonly config: IngestionConfig;
  readonly sink: Sink;
  /** Listed again for mark-deleted (the FQN set never travels through Argo parameters). */
  readonly source: Pick<DiscoverableSource, 'discover'>;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

export interface FinalizeOptions {
  readonly results: readonly ShardResult[];
  /** The entity count discover reported. */
  readonly entities: number;
  /** K as discover chose it: a shard without an accepted result is missing, even when none reported. */
  readonly shards?: number;
  /** Whether shard results are checked against discover's entity count (see AggregateOptions). @default true */
  readonly checkShare?: boolean;
}

export interface FinalizeReport {
  readonly totals: RunTotals;
  /** workflowConfig.successThreshold, in percent. */
  readonly threshold: number;
  /**
   * Whether the run passed (exit code 0): every shard reported a consistent result and the success rate
   * reached the threshold.
   */
  readonly passed: boolean;
  /** Undefined when mark-deleted is turned off in the config. */
  readonly markDeleted?: MarkDeletedOutcome;
}

export async function finalize(ctx: FinalizeContext, options: FinalizeOptions): Promise<FinalizeReport> {
  const totals = aggregate(options.results, options.entities, {
    ...(options.shards !== undefined ? { shards: options.shards } : {}),
    ...(options.checkShare !== undefined ? { checkShare: options.checkShare } : {}),
  });
  for (const { shard, reason } of totals.rejected) ctx.logger.error(`Shard ${shard}: result rejected: ${reason}`);
  if (totals.missingShards.length > 0) {
    ctx.logger.error(
      `No usable result from ${formatShards(totals.missingShards)} of ${totals.shards}; ` +
        `their ${totals.unreported} entities count as failed and the run fails`,
    );
  }
  const threshold = ctx.config.workflowConfig.successThreshold;
  const passed = totals.successPercent >= threshold && totals.missingShards.length === 0;
  const kind = markDeletedKind(ctx.config);
  const markDeleted = kind ? await maybeMarkDeleted(ctx, totals, kind) : undefined;
  if (markDeleted?.reason) ctx.logger.warn(`Mark deleted: ${markDeleted.reason}`);
  return { totals, threshold, passed, ...(markDeleted ? { markDeleted } : {}) };
}

/** Why mark-deleted must not run for these totals, or undefined when it may. */
export function markDeletedBlocker(totals: RunTotals): string | undefined {
  if (totals.missingShards.length > 0 || (totals.shards === undefined && totals.discovered > 0)) {
    const which = totals.missingShards.length > 0 ? ` (${formatShards(totals.missingShards)})` : '';
    return `not every shard reported a result${which}, so nothing is marked deleted`;
  }
  if (totals.unreported > 0) {
    return `${totals.unreported} entities that discover found were not reported by any shard, so nothing is marked deleted`;
  }
  if (totals.failed > 0) {
    return `${totals.failed} entit${totals.failed === 1 ? 'y' : 'ies'} failed in this run, so nothing is marked deleted (a failed entity could look deleted)`;
  }
  return undefined;
}

async function maybeMarkDeleted(
  ctx: FinalizeContext,
  totals: RunTotals,
  kind: 'table' | 'dashboard',
): Promise<MarkDeletedOutcome> {
  const blocker = markDeletedBlocker(totals);
  if (blocker) return { deleted: [], existing: 0, reason: blocker };
  let discovered: Set<string>;
  try {
    discovered = new Set<string>();
    for await (const descriptor of ctx.source.discover()) {
      if (descriptor.type === kind) discovered.add(descriptor.fqn);
      if (ctx.signal?.aborted) throw ctx.signal.reason;
    }
  } catch (error) {
    return {
      deleted: [],
      existing: 0,
      reason: `discovery did not complete (${shortMessage(error)}), so nothing is marked deleted`,
    };
  }
  return markDeletedEntities({
    sink: ctx.sink,
    kind,
    service: ctx.config.source.serviceName,
    discovered,
    maxDeletedFraction: ctx.config.workflowConfig.distributedExecution.maxDeletedFraction,
    logger: ctx.logger,
    sinkType: ctx.config.sink.type,
  });
}
