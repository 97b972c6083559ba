/**
 * markDeletedTables / markDeletedDashboards: soft-delete the entities OpenMetadata has under the service
 * that the source no longer lists. Guarded: finalize calls it only after a complete, failure-free run,
 * and nothing is deleted when more than `maxDeletedFraction` of the service's entities would go
 * (an emptied schema filter or a misconfigured connection must not wipe a catalogue).
 */
import type { IngestionConfig } from '../config/schema.js';
import type { Sink } from '../sink/contract.js';
import type { Logger } from './logger.js';
import { shortMessage } from './context.js';

export type DeletableKind = 'table' | 'dashboard';

/** The kind mark-deleted applies to, or undefined when the config turns it off. */
export function markDeletedKind(config: IngestionConfig): DeletableKind | undefined {
  const sourceConfig = config.source.sourceConfig.config;
  if (sourceConfig.type === 'DatabaseMetadata') return sourceConfig.markDeletedTables ? 'table' : undefined;
  return sourceConfig.markDeletedDashboards ? 'dashboard' : undefined;
}

export interface MarkDeletedOutcome {
  /** FQNs soft-deleted, sorted. */
  readonly deleted: readonly string[];
  /** Why nothing (or not everything) was deleted; undefined when the run needed no explanation. */
  readonly reason?: string;
  /** Entities of the kind OpenMetadata had under the service. */
  readonly existing: number;
}

export interface MarkDeletedOptions {
  readonly sink: Sink;
  readonly kind: DeletableKind;
  readonly service: string;
  /** Every FQN the source lists now. */
  readonly discovered: ReadonlySet<string>;
  /** 0-1: skip when a larger fraction of the existing entities would be deleted. */
  readonly maxDeletedFraction: number;
  readonly logger: Logger;
  /** `sink.type`, for the message when the sink cannot list. */
  readonly sinkType?: string;
}

export async function markDeletedEntities(options: MarkDeletedOptions): Promise<MarkDeletedOutcome> {
  const { sink, kind, service, discovered, logger } = options;
  if (!sink.listEntities || !sink.softDelete) {
    return {
      deleted: [],
      existing: 0,
      reason: `the ${options.sinkType ?? 'configured'} sink cannot list existing ${kindPlural(kind)}, so nothing is marked deleted`,
    };
  }
  const stale: { id: string; fqn: string }[] = [];
  let existing = 0;
  for await (const entity of sink.listEntities(kind, service)) {
    existing++;
    if (!discovered.has(entity.fqn)) stale.push(entity);
  }
  if (stale.length === 0) return { deleted: [], existing };
  const fraction = stale.length / existing;
  if (fraction > options.maxDeletedFraction) {
    return {
      deleted: [],
      existing,
      reason:
        `${stale.length} of ${existing} ${kindPlural(kind)} (${percent(fraction)}) are no longer in the source, ` +
        `above maxDeletedFraction ${percent(options.maxDeletedFraction)}; nothing is marked deleted. ` +
        'Check the filter patterns and connection; raise workflowConfig.distributedExecution.maxDeletedFraction if this is intended',
    };
  }
  stale.sort((a, b) => (a.fqn < b.fqn ? -1 : a.fqn > b.fqn ? 1 : 0));
  const deleted: string[] = [];
  const errors: string[] = [];
  for (const entity of stale) {
    try {
      await sink.softDelete(kind, entity.id);
      deleted.push(entity.fqn);
      logger.info(`Marked ${kind} ${entity.fqn} as deleted`);
    } catch (error) {
      logger.warn(`Could not mark ${kind} ${entity.fqn} as deleted: ${shortMessage(error)}`);
      errors.push(entity.fqn);
    }
  }
  return {
    deleted,
    existing,
    ...(errors.length > 0 ? { reason: `${errors.length} ${kindPlural(kind)} could not be marked deleted` } : {}),
  };
}

function kindPlural(kind: DeletableKind): string {
  return `${kind}s`;
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}
