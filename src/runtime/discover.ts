/**
 * The discover step: create the parent entities (service, databases, schemas) so that shards can upsert
 * tables in any order, count the entities (streamed: never held), and choose the shard count.
 */
import { SinkError } from '../sink/contract.js';
import type { RuntimeContext } from './context.js';
import { shortMessage } from './context.js';
import { isRunFatalSinkError, upsertWithRetry } from './process.js';
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
}

export interface DiscoverOptions {
  /** Shards that may run at once. @default distributedExecution.parallelism */
  readonly parallelism?: number;
  /** Shards per parallel slot. @default distributedExecution.shardFactor */
  readonly shardFactor?: number;
}

/** Upserts `source.parents()` in order. A parent the server rejects is logged and skipped. */
export async function ensureParents(ctx: RuntimeContext): Promise<Pick<DiscoverResult, 'parents' | 'parentFailures'>> {
  let parents = 0;
  const parentFailures: { fqn: string; error: string }[] = [];
  for await (const request of ctx.source.parents()) {
    try {
      await upsertWithRetry(ctx, request);
      parents++;
    } catch (error) {
      // A parent the server refuses (a name it cannot take) fails that parent's entities, not the run;
      // lost credentials or a server down after retries mean no shard can succeed either.
      if (!(error instanceof SinkError) || isRunFatalSinkError(error)) throw error;
      ctx.logger.warn(`Could not create ${request.kind} ${request.fqn}: ${shortMessage(error)}`);
      parentFailures.push({ fqn: request.fqn, error: shortMessage(error) });
    }
  }
  return { parents, parentFailures };
}

/** Counts `source.discover()` without keeping the descriptors. */
export async function countEntities(ctx: RuntimeContext): Promise<number> {
  let count = 0;
  for await (const descriptor of ctx.source.discover()) {
    void descriptor;
    count++;
    if (ctx.signal?.aborted) throw ctx.signal.reason;
  }
  return count;
}

export async function discover(ctx: RuntimeContext, options: DiscoverOptions = {}): Promise<DiscoverResult> {
  const dist = ctx.config.workflowConfig.distributedExecution;
  const parentsResult = await ensureParents(ctx);
  ctx.logger.info(`Ensured ${parentsResult.parents} parent entities (service, databases, schemas)`);
  const entities = await countEntities(ctx);
  const shards = chooseShardCount(entities, {
    parallelism: options.parallelism ?? dist.parallelism,
    shardFactor: options.shardFactor ?? dist.shardFactor,
    orchestrator: dist.orchestrator,
  });
  ctx.logger.info(`Discovered ${entities} entities; ${shards} shard${shards === 1 ? '' : 's'}`);
  return { entities, shards, ...parentsResult };
}
