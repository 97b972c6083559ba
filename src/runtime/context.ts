/**
 * What every runtime step needs: the resolved config, an open source and sink, a logger. The steps
 * (discover / process / finalize) take a RuntimeContext and never open connections themselves, so the
 * worker commands, the local orchestrator and the tests run exactly the same code.
 */
import type { RetryPolicy } from '../config/distributed.js';
import type { IngestionConfig } from '../config/schema.js';
import type { Sink } from '../sink/contract.js';
import type { DiscoverableSource } from '../sources/contract.js';
import type { Logger } from '../util/logger.js';
import { sleep as defaultSleep } from '../util/retry.js';

export interface RuntimeContext {
  /** The config with every `${VAR}` substituted. */
  readonly config: IngestionConfig;
  readonly source: DiscoverableSource;
  readonly sink: Sink;
  readonly logger: Logger;
  /** Aborted when the run is cancelled (Ctrl-C, pod termination). */
  readonly signal?: AbortSignal;
  /** Waits between retries; replaceable so unit tests need not sleep. @default setTimeout-based sleep */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function retryPolicyOf(config: IngestionConfig): RetryPolicy {
  return config.workflowConfig.distributedExecution.retryPolicy;
}

export function sleeperOf(ctx: Pick<RuntimeContext, 'sleep'>): (ms: number, signal?: AbortSignal) => Promise<void> {
  return ctx.sleep ?? defaultSleep;
}

/** Truncates an error message for results and summaries (they travel in Argo parameters). */
export function shortMessage(error: unknown, max = 300): string {
  const message = error instanceof Error ? error.message : String(error);
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
