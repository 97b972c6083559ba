/**
 * The finalize step: add up the shard results, apply workflowConfig.successThreshold, and run
 * mark-deleted when (and only when) the run was complete and clean, within this run's deletion scope
 * (deletion-scope.ts). A run cancelled before or during finalize does not pass.
 */
import type { IngestionConfig } from '../config/schema.js';
import type { Sink } from '../sink/contract.js';
import type { DiscoverableSource, ListingScope } from '../sources/contract.js';
import { shortMessage } from './context.js';
import { deletionScope, listingScopeOf } from './deletion-scope.js';
import type { Logger } from '../util/logger.js';
import { markDeletedEntities, markDeletedKind, type MarkDeletedOutcome } from './mark-deleted.js';
import { escapeName } from './names.js';
import { CancelledError, IncompleteListingError, IncompleteRunError, ThresholdError } from './errors.js';
import { formatShards } from './format.js';
import { aggregate, type RunTotals } from './results.js';
import type { ShardResult } from './worker-contract.js';

export interface FinalizeContext {
  readonly config: IngestionConfig;
  readonly sink: Sink;
  /**
   * Listed again for mark-deleted (the FQN set never travels through Argo parameters), with its listing
   * scope (listingScope(), or the containers parents() yields).
   */
  readonly source: Pick<DiscoverableSource, 'discover'> & Partial<Pick<DiscoverableSource, 'parents' | 'listingScope'>>;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

export interface FinalizeOptions {
  readonly results: readonly ShardResult[];
  /** The entity count discover reported. */
  readonly entities: number;
  /** K as discover chose it: a shard without an accepted result is missing, even when none reported. */
  readonly shards?: number;
}

export interface FinalizeReport {
  readonly totals: RunTotals;
  /** workflowConfig.successThreshold, in percent. */
  readonly threshold: number;
  /**
   * Whether the run succeeded (exit code 0): every shard reported a consistent result, the success rate
   * reached the threshold, the run was not cancelled, and the listing was complete (or
   * distributedExecution.allowIncompleteListing is set).
   */
  readonly passed: boolean;
  /** The run was cancelled (SIGTERM / SIGINT): it does not pass, whatever the counts. */
  readonly cancelled?: boolean;
  /** Containers the run could not list while OpenMetadata holds entities under them, and the run failed for it. */
  readonly incompleteFailed?: boolean;
  /** Undefined when mark-deleted is turned off in the config. */
  readonly markDeleted?: MarkDeletedOutcome;
}

export async function finalize(ctx: FinalizeContext, options: FinalizeOptions): Promise<FinalizeReport> {
  const totals = aggregate(options.results, options.entities, { shards: options.shards });
  for (const { shard, reason } of totals.rejected) ctx.logger.error(`Shard ${shard}: result rejected: ${reason}`);
  if (totals.missingShards.length > 0) {
    ctx.logger.error(
      `No usable result from ${formatShards(totals.missingShards)} of ${totals.shards}; ` +
        `their ${totals.unreported} entities count as failed and the run fails`,
    );
  }
  const threshold = ctx.config.workflowConfig.successThreshold;
  const kind = markDeletedKind(ctx.config);
  const markDeleted = kind ? await maybeMarkDeleted(ctx, totals, kind) : undefined;
  if (markDeleted?.reason) ctx.logger.warn(`Mark deleted: ${markDeleted.reason}`);
  for (const container of markDeleted?.incomplete ?? []) {
    ctx.logger.error(
      `Could not list ${escapeName(container.fqn)} (${container.reason}); OpenMetadata has ` +
        `${container.entities} ${kind}${container.entities === 1 ? '' : 's'} under it, none marked deleted`,
    );
  }
  const cancelled = ctx.signal?.aborted === true || markDeleted?.cancelled === true;
  const incompleteFailed =
    (markDeleted?.incomplete?.length ?? 0) > 0 &&
    !ctx.config.workflowConfig.distributedExecution.allowIncompleteListing;
  const passed =
    totals.successPercent >= threshold && totals.missingShards.length === 0 && !cancelled && !incompleteFailed;
  return {
    totals,
    threshold,
    passed,
    ...(cancelled ? { cancelled } : {}),
    ...(incompleteFailed ? { incompleteFailed } : {}),
    ...(markDeleted ? { markDeleted } : {}),
  };
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
  if (ctx.signal?.aborted) {
    return { deleted: [], existing: 0, cancelled: true, reason: 'the run was cancelled, so nothing is marked deleted' };
  }
  const blocker = markDeletedBlocker(totals);
  if (blocker) return { deleted: [], existing: 0, reason: blocker };
  let discovered: Set<string>;
  let listing: ListingScope;
  try {
    discovered = new Set<string>();
    for await (const descriptor of ctx.source.discover()) {
      if (descriptor.type === kind) discovered.add(descriptor.fqn);
      if (ctx.signal?.aborted) throw ctx.signal.reason;
    }
    listing = await listingScopeOf(ctx.source);
  } catch (error) {
    if (ctx.signal?.aborted) {
      return {
        deleted: [],
        existing: 0,
        cancelled: true,
        reason: 'the run was cancelled, so nothing is marked deleted',
      };
    }
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
    scope: deletionScope(ctx.config, listing),
    signal: ctx.signal,
    maxDeletedFraction: ctx.config.workflowConfig.distributedExecution.maxDeletedFraction,
    logger: ctx.logger,
    sinkType: ctx.config.sink.type,
  });
}

/** Why a finished run did not pass, as the error the command exits with; undefined when it passed. */
export function runFailure(report: FinalizeReport): Error | undefined {
  if (report.passed) return undefined;
  if (report.cancelled) return new CancelledError();
  if (report.totals.missingShards.length > 0) {
    return new IncompleteRunError(report.totals.missingShards, report.totals.unreported);
  }
  if (report.incompleteFailed) {
    return new IncompleteListingError((report.markDeleted?.incomplete ?? []).map((c) => JSON.stringify(c.fqn)));
  }
  return new ThresholdError(report.totals.successPercent, report.threshold);
}
