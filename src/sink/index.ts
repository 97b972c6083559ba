/**
 * Chooses the sink a config asks for: `metadata-rest` (OpenMetadata REST API) or `file` (JSON lines,
 * dry runs). The config must already have its `${VAR}`s substituted (resolveConfig).
 */
import type { IngestionConfig } from '../config/schema.js';
import type { Logger } from '../util/logger.js';
import type { RetryPolicyLike } from '../util/retry.js';
import type { Sink } from './contract.js';
import { FileSink } from './file.js';
import { OpenMetadataSink, type SinkCircuit } from './rest.js';

export * from './contract.js';
export { FileSink, type FileSinkOptions } from './file.js';
export { OpenMetadataSink, type OpenMetadataSinkOptions, type SinkCircuit } from './rest.js';
export { COLLECTIONS, apiBase } from './paths.js';

export interface CreateSinkOptions {
  readonly logger: Logger;
  /** Aborts requests in flight and retry waits. */
  readonly signal?: AbortSignal;
  /** Replaces the config's retryPolicy (tests and benchmarks use short backoffs). @default the config's */
  readonly retryPolicy?: RetryPolicyLike;
  /** Waits between retries. @default setTimeout-based sleep */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Per-request timeout of the REST sink. @default 60000 */
  readonly requestTimeoutMs?: number;
  /** A run-wide circuit breaker for the REST sink. @default none */
  readonly circuit?: SinkCircuit;
}

export function createSink(config: IngestionConfig, options: CreateSinkOptions): Sink {
  const sink = config.sink;
  if (sink.type === 'file') return new FileSink({ filename: sink.config.filename, logger: options.logger });
  const server = config.workflowConfig.openMetadataServerConfig;
  return new OpenMetadataSink({
    hostPort: server.hostPort,
    token: server.authProvider === 'no-auth' ? undefined : server.securityConfig?.jwtToken,
    retryPolicy: options.retryPolicy ?? config.workflowConfig.distributedExecution.retryPolicy,
    logger: options.logger,
    signal: options.signal,
    sleep: options.sleep,
    requestTimeoutMs: options.requestTimeoutMs,
    circuit: options.circuit,
  });
}
