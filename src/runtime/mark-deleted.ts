/**
 * markDeletedTables / markDeletedDashboards: soft-delete the entities OpenMetadata has in this run's
 * deletion scope (deletion-scope.ts) that the source no longer lists. Guarded: finalize calls it only
 * after a complete, failure-free run; entities outside the scope are never touched; entities under a
 * container this run could not list are kept and reported; and nothing is deleted when more than
 * `maxDeletedFraction` of the in-scope entities would go (an emptied filter or a misconfigured
 * connection must not wipe a catalogue). After cancellation no delete is started.
 */
import type { IngestionConfig } from '../config/schema.js';
import type { Sink } from '../sink/contract.js';
import type { Logger } from '../util/logger.js';
import { shortMessage } from './context.js';
import type { DeletionScope } from './deletion-scope.js';
import { escapeName } from './names.js';

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
  /** Entities of the kind OpenMetadata had in the deletion scope. */
  readonly existing: number;
  /**
   * Containers the filters include that this run could not list although OpenMetadata holds entities
   * under them: nothing of them was deleted. Empty or absent when the listing was complete.
   */
  readonly incomplete?: readonly IncompleteContainer[];
  /** Entities OpenMetadata has under the service outside this run's scope (left alone). */
  readonly outOfScope?: number;
  /** Set when the run was cancelled before every delete was made. */
  readonly cancelled?: boolean;
}

export interface IncompleteContainer {
  readonly fqn: string;
  readonly reason: string;
  /** Entities OpenMetadata has under it (kept). */
  readonly entities: number;
}

export interface MarkDeletedOptions {
  readonly sink: Sink;
  readonly kind: DeletableKind;
  readonly service: string;
  /** Every FQN the source lists now. */
  readonly discovered: ReadonlySet<string>;
  /** Which entities mark-deleted may consider. */
  readonly scope: DeletionScope;
  /** No delete starts once this is aborted. */
  readonly signal?: AbortSignal;
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
  const incomplete = new Map<string, IncompleteContainer>();
  let existing = 0;
  let outOfScope = 0;
  for await (const entity of sink.listEntities(kind, service)) {
    const unlisted = options.scope.unlistedContainerOf(entity.fqn);
    if (unlisted) {
      const seen = incomplete.get(unlisted.fqn);
      incomplete.set(unlisted.fqn, { ...unlisted, entities: (seen?.entities ?? 0) + 1 });
      continue;
    }
    if (!options.scope.includes(entity.fqn)) {
      outOfScope++;
      continue;
    }
    existing++;
    if (!discovered.has(entity.fqn)) stale.push(entity);
  }
  const scoped = {
    existing,
    ...(incomplete.size > 0 ? { incomplete: [...incomplete.values()] } : {}),
    ...(outOfScope > 0 ? { outOfScope } : {}),
  };
  if (stale.length === 0) return { deleted: [], ...scoped };
  const fraction = stale.length / existing;
  if (fraction > options.maxDeletedFraction) {
    return {
      deleted: [],
      ...scoped,
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
    // Checked before each delete: a cancelled run starts no new one (the one in flight may complete).
    if (options.signal?.aborted) {
      return {
        deleted,
        ...scoped,
        cancelled: true,
        reason: `cancelled after ${deleted.length} of ${stale.length} ${kindPlural(kind)} were marked deleted`,
      };
    }
    try {
      await sink.softDelete(kind, entity.id);
      deleted.push(entity.fqn);
      logger.info(`Marked ${kind} ${escapeName(entity.fqn)} as deleted`);
    } catch (error) {
      logger.warn(`Could not mark ${kind} ${escapeName(entity.fqn)} as deleted: ${shortMessage(error)}`);
      errors.push(entity.fqn);
    }
  }
  return {
    deleted,
    ...scoped,
    ...(errors.length > 0 ? { reason: `${errors.length} ${kindPlural(kind)} could not be marked deleted` } : {}),
  };
}

function kindPlural(kind: DeletableKind): string {
  return `${kind}s`;
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}
