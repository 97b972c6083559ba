/**
 * Shared set-up of the dashboard connector tests: configs around a fake vendor server, a recording
 * sleep (Retry-After and backoff are asserted by the delays asked for, never by the clock), and a
 * driver that runs parents / discover / process like the runtime does.
 */
import { ingestionConfigSchema, type IngestionConfig } from '../../../src/config/schema.js';
import { createLogger, type Logger } from '../../../src/util/logger.js';
import type { RetryPolicyLike } from '../../../src/util/retry.js';
import type { EntityDescriptor, EntityOutcome, UpsertRequest } from '../../../src/sources/contract.js';
import type { DashboardFactoryDeps } from '../../../src/sources/dashboard-common/factory.js';
import type { DashboardSource } from '../../../src/sources/dashboard-common/source.js';

export const SERVICE = 'bi_prod';

/** Backoff of the tests: 1 s doubling, capped at 30 s; the recording sleep returns at once. */
export const TEST_RETRY: RetryPolicyLike = {
  maxAttempts: 4,
  backoffSeconds: 1,
  backoffFactor: 2,
  maxBackoffSeconds: 30,
};

export interface SourceConfigExtra {
  readonly dashboardFilterPattern?: { includes?: string[]; excludes?: string[] };
  readonly chartFilterPattern?: { includes?: string[]; excludes?: string[] };
}

/** A parsed config for a dashboard source (secrets are plain values here, as after substitution). */
export function dashboardConfig(
  type: string,
  connection: Record<string, unknown>,
  extra: SourceConfigExtra = {},
): IngestionConfig {
  return ingestionConfigSchema.parse({
    source: {
      type,
      serviceName: SERVICE,
      serviceConnection: { config: connection },
      sourceConfig: { config: { type: 'DashboardMetadata', ...extra } },
    },
    sink: { type: 'metadata-rest', config: {} },
    workflowConfig: {
      openMetadataServerConfig: {
        hostPort: 'http://127.0.0.1:1/api',
        authProvider: 'openmetadata',
        securityConfig: { jwtToken: 'unused' },
      },
    },
  });
}

export interface Harness {
  readonly logger: Logger;
  readonly logLines: string[];
  /** Delays (ms) the source asked to sleep, in order. */
  readonly sleeps: number[];
  readonly deps: DashboardFactoryDeps;
}

export function harness(pageSize?: number): Harness {
  const logLines: string[] = [];
  const sleeps: number[] = [];
  return {
    logLines,
    sleeps,
    logger: createLogger('DEBUG', (line) => logLines.push(line)),
    deps: {
      retryPolicy: TEST_RETRY,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      pageSize,
      timeoutMs: 10_000,
    },
  };
}

export async function discoverAll(source: DashboardSource): Promise<EntityDescriptor[]> {
  const out: EntityDescriptor[] = [];
  for await (const d of source.discover()) out.push(d);
  return out;
}

export async function parentsOf(source: DashboardSource): Promise<UpsertRequest[]> {
  const out: UpsertRequest[] = [];
  for await (const r of source.parents()) out.push(r);
  return out;
}

/** Every outcome of processing `entities` in batches of `batchSize`. */
export async function processAll(
  source: DashboardSource,
  entities: readonly EntityDescriptor[],
  batchSize = 10,
): Promise<EntityOutcome[]> {
  const out: EntityOutcome[] = [];
  for (let i = 0; i < entities.length; i += batchSize)
    out.push(...(await source.process(entities.slice(i, i + batchSize))));
  return out;
}

export function requestsOf(outcomes: readonly EntityOutcome[]): UpsertRequest[] {
  return outcomes.flatMap((o) => (o.ok ? o.requests : []));
}

/** The error of a promise expected to reject. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}
