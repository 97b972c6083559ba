/**
 * The discover step: create the parent entities (service, databases, schemas) so that shards can upsert
 * tables in any order, count the entities (streamed: never held), and choose the shard count.
 */
import { SinkError } from '../sink/contract.js';
import type { RuntimeContext } from './context.js';
import { shortMessage } from './context.js';
import { isRunFatalSinkError, upsertWithRetry } from './process.js';
import { escapeName, invalidNameOf, type InvalidName } from './names.js';
import { chooseShardCount } from './shards.js';

export interface DiscoverResult {
  /** Entities discovered after filter patterns. */
  readonly entities: number;
  /** The shard count K chosen for them. */
  readonly shards: number;
  /** Parent entities upserted. */
  readonly parents: number;
  /** Parents the server refused (their children will fail and be reported). */
  readonly parentFailures: readonly { readonly fqn: string; readonly error: string }[];
  /**
   * Entities not ingested because OpenMetadata cannot take their name (not counted in `entities`, not a
   * failure: they do not block mark-deleted). At most MAX_REPORTED_INVALID_NAMES are kept.
   */
  readonly invalidNames: readonly InvalidName[];
  /** How many entities had such a name in all. */
  readonly invalidNameCount: number;
}

export const MAX_REPORTED_INVALID_NAMES = 100;

export interface DiscoverOptions {
  /** Shards that may run at once. @default distributedExecution.parallelism */
  readonly parallelism?: number;
  /** Shards per parallel slot. @default distributedExecution.shardFactor */
  readonly shardFactor?: number;
}

/**
 * Upserts `source.parents()` in order. A database or schema the server rejects (4xx: a name it cannot
 * take) is logged and skipped: its entities fail on their own. Anything else stops the run before a
 * single entity is processed: the service itself failed (no entity can be created), a server error that
 * outlasted the retries, lost credentials, an open circuit breaker.
 */
export async function ensureParents(ctx: RuntimeContext): Promise<Pick<DiscoverResult, 'parents' | 'parentFailures'>> {
  let parents = 0;
  const parentFailures: { fqn: string; error: string }[] = [];
  for await (const request of ctx.source.parents()) {
    // A container OpenMetadata cannot name is not sent; its entities are reported as not ingested.
    const invalid = invalidNameOf(request.fqn);
    if (invalid) {
      ctx.logger.warn(`Not creating ${request.kind} ${escapeName(request.fqn)}: ${invalid.problem}`);
      continue;
    }
    try {
      await upsertWithRetry(ctx, request);
      parents++;
    } catch (error) {
      if (isRunFatalSinkError(error) || !(error instanceof SinkError)) throw error;
      const isService = request.kind === 'databaseService' || request.kind === 'dashboardService';
      if (isService || error.reason !== 'rejected') {
        throw new SinkError(
          `Could not create ${request.kind} ${escapeName(request.fqn)} in OpenMetadata (${shortMessage(error)}); ` +
            'the entities under it cannot be written, so the run stops before processing them.',
          error.reason,
          error.status,
        );
      }
      ctx.logger.warn(`Could not create ${request.kind} ${escapeName(request.fqn)}: ${shortMessage(error)}`);
      parentFailures.push({ fqn: request.fqn, error: shortMessage(error) });
    }
  }
  return { parents, parentFailures };
}

/**
 * Counts `source.discover()` without keeping the descriptors. An entity whose name OpenMetadata cannot
 * take (names.ts) is reported here, once per run, with the rule it breaks, and is not counted: shards
 * skip it the same way (processShard).
 */
export async function countEntities(
  ctx: RuntimeContext,
): Promise<{ entities: number; invalidNames: InvalidName[]; invalidNameCount: number }> {
  let entities = 0;
  let invalidNameCount = 0;
  const invalidNames: InvalidName[] = [];
  for await (const descriptor of ctx.source.discover()) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    const invalid = invalidNameOf(descriptor.fqn);
    if (invalid) {
      invalidNameCount++;
      if (invalidNames.length < MAX_REPORTED_INVALID_NAMES) invalidNames.push(invalid);
      ctx.logger.warn(`Not ingesting ${descriptor.type} ${escapeName(descriptor.fqn)}: ${invalid.problem}`);
      continue;
    }
    entities++;
  }
  return { entities, invalidNames, invalidNameCount };
}

export async function discover(ctx: RuntimeContext, options: DiscoverOptions = {}): Promise<DiscoverResult> {
  const dist = ctx.config.workflowConfig.distributedExecution;
  const parentsResult = await ensureParents(ctx);
  ctx.logger.info(`Ensured ${parentsResult.parents} parent entities (service, databases, schemas)`);
  const { entities, invalidNames, invalidNameCount } = await countEntities(ctx);
  const shards = chooseShardCount(entities, {
    chunkSize: dist.chunkSize,
    parallelism: options.parallelism ?? dist.parallelism,
    shardFactor: options.shardFactor ?? dist.shardFactor,
  });
  ctx.logger.info(`Discovered ${entities} entities; ${shards} shard${shards === 1 ? '' : 's'}`);
  return { entities, shards, ...parentsResult, invalidNames, invalidNameCount };
}
