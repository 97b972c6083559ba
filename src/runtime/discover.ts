/**
 * The discover step: create the parent entities (service, databases, schemas) so that shards can upsert
 * tables in any order, count the entities (streamed: never held) while they are created, and choose the
 * shard count.
 */
import { SinkError } from '../sink/contract.js';
import { splitFqn } from '../model/fqn.js';
import type { UpsertRequest } from '../model/entities.js';
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

/** Most parents upserted at once within one level (the databases, then the schemas). */
export const PARENT_CONCURRENCY = 8;

/**
 * Upserts `source.parents()` level by level: the service, then the databases, then the schemas (by FQN
 * depth), each level once the one above is done, up to `concurrency` requests at once within a level (an
 * estate of 50 schemas would otherwise pay 50 round trips one after another before any shard starts).
 *
 * A database or schema the server rejects (4xx: a name it cannot take) is logged and skipped: its
 * entities fail on their own. Anything else stops the run before a single entity is processed: the
 * service itself failed (no entity can be created), a server error that outlasted the retries, lost
 * credentials, an open circuit breaker. No request starts after such a failure; when several fail, the
 * error of the first in `parents()` order is the one thrown.
 */
export async function ensureParents(
  ctx: RuntimeContext,
  concurrency = PARENT_CONCURRENCY,
): Promise<Pick<DiscoverResult, 'parents' | 'parentFailures'>> {
  return upsertParents(ctx, await listParents(ctx), concurrency);
}

/** `source.parents()`, all of them (a service, its databases and schemas: a few thousand at most). */
async function listParents(ctx: RuntimeContext): Promise<UpsertRequest[]> {
  const requests: UpsertRequest[] = [];
  for await (const request of ctx.source.parents()) requests.push(request);
  return requests;
}

async function upsertParents(
  ctx: RuntimeContext,
  requests: readonly UpsertRequest[],
  concurrency: number,
): Promise<Pick<DiscoverResult, 'parents' | 'parentFailures'>> {
  const levels = new Map<number, { request: UpsertRequest; index: number }[]>();
  requests.forEach((request, index) => {
    const depth = splitFqn(request.fqn).length;
    const level = levels.get(depth) ?? [];
    level.push({ request, index });
    levels.set(depth, level);
  });
  let parents = 0;
  const failures: { fqn: string; error: string; index: number }[] = [];
  for (const depth of [...levels.keys()].sort((a, b) => a - b)) {
    const level = levels.get(depth)!;
    // The first failure (in parents() order) that stops the run; set by the workers below.
    const stop: { fatal?: { error: unknown; index: number } } = {};
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < level.length && !stop.fatal) {
        const { request, index: at } = level[next++]!;
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
          if (stopsRun(request, error)) {
            stop.fatal = firstOf(stop.fatal, { error: runStopError(request, error), index: at });
          } else {
            ctx.logger.warn(`Could not create ${request.kind} ${escapeName(request.fqn)}: ${shortMessage(error)}`);
            failures.push({ fqn: request.fqn, error: shortMessage(error), index: at });
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, level.length)) }, () => worker()));
    if (stop.fatal) throw stop.fatal.error;
  }
  failures.sort((a, b) => a.index - b.index);
  return { parents, parentFailures: failures.map(({ fqn, error }) => ({ fqn, error })) };
}

function firstOf<T extends { index: number }>(a: T | undefined, b: T): T {
  return a && a.index < b.index ? a : b;
}

/** Whether a failed parent stops the run; a database or schema the server refused is skipped instead. */
function stopsRun(request: UpsertRequest, error: unknown): boolean {
  if (isRunFatalSinkError(error) || !(error instanceof SinkError)) return true;
  const isService = request.kind === 'databaseService' || request.kind === 'dashboardService';
  return isService || error.reason !== 'rejected';
}

/** The error the run stops with: the parent's failure named, unless it is the run's own (credentials, ...). */
function runStopError(request: UpsertRequest, error: unknown): unknown {
  if (isRunFatalSinkError(error) || !(error instanceof SinkError)) return error;
  return new SinkError(
    `Could not create ${request.kind} ${escapeName(request.fqn)} in OpenMetadata (${shortMessage(error)}); ` +
      'the entities under it cannot be written, so the run stops before processing them.',
    error.reason,
    error.status,
  );
}

/**
 * Counts `source.discover()` without keeping the descriptors. An entity whose name OpenMetadata cannot
 * take (names.ts) is reported here, once per run, with the rule it breaks, and is not counted: shards
 * skip it the same way (processShard).
 */
export async function countEntities(
  ctx: RuntimeContext,
  /** Polled per entity: true ends the count early (its result is then not used). */
  stopped: () => boolean = () => false,
): Promise<{ entities: number; invalidNames: InvalidName[]; invalidNameCount: number }> {
  let entities = 0;
  let invalidNameCount = 0;
  const invalidNames: InvalidName[] = [];
  for await (const descriptor of ctx.source.discover()) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    if (stopped()) break;
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
  const parallelism = options.parallelism ?? dist.parallelism;
  // The listing does not need the parents, so it runs while they are upserted (after the source has
  // named them: both ask the same database); when they fail, it is stopped and its result dropped.
  const parents = await listParents(ctx);
  let parentsFailed = false;
  const counting = countEntities(ctx, () => parentsFailed);
  // Handled here too: a listing failure while the parents are still going must not be an unhandled rejection.
  counting.catch(() => undefined);
  let parentsResult: Awaited<ReturnType<typeof ensureParents>>;
  try {
    parentsResult = await upsertParents(ctx, parents, Math.min(PARENT_CONCURRENCY, parallelism));
  } catch (error) {
    parentsFailed = true;
    await counting.catch(() => undefined);
    throw error;
  }
  ctx.logger.info(`Ensured ${parentsResult.parents} parent entities (service, databases, schemas)`);
  const { entities, invalidNames, invalidNameCount } = await counting;
  const shards = chooseShardCount(entities, {
    parallelism,
    shardFactor: options.shardFactor ?? dist.shardFactor,
    orchestrator: dist.orchestrator,
  });
  ctx.logger.info(`Discovered ${entities} entities; ${shards} shard${shards === 1 ? '' : 's'}`);
  return { entities, shards, ...parentsResult, invalidNames, invalidNameCount };
}
