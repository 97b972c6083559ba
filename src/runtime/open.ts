/**
 * Opens what a run needs from a resolved config: the sink (checked: reachable, token accepted) and the
 * source (connection tested). Both fail with one clear sentence (SinkError / SourceError). Connector
 * drivers are loaded lazily by the catalog, so a Postgres run never loads snowflake-sdk.
 */
import type { IngestionConfig } from '../config/schema.js';
import { OpenMetadataSink, createSink } from '../sink/index.js';
import type { Sink } from '../sink/contract.js';
import { createSource } from '../sources/registry.js';
import type { Source, SourceOptions } from '../sources/contract.js';
import { CircuitBreaker } from './circuit-breaker.js';
import type { Logger } from '../util/logger.js';

export interface OpenedRuntime {
  readonly source: Source;
  readonly sink: Sink;
  /** Closes the source and the sink; safe to call twice. */
  close(): Promise<void>;
}

export interface OpenOptions {
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** Requests the source may have in flight (local mode: parallelism). @default 1 */
  readonly concurrency?: number;
  /** Waits between retries and the circuit breaker's pause (tests pass a virtual clock). @default real time */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The circuit breaker's clock. @default Date.now */
  readonly now?: () => number;
}

/** A function with openRuntime's shape; tests pass one that returns fakes. */
export type Opener = (config: IngestionConfig, options: OpenOptions) => Promise<OpenedRuntime>;

/** Builds (without connecting) the source of a run. @default the catalog's createSource */
export type SourceFactory = (config: IngestionConfig, options: SourceOptions) => Promise<Source> | Source;

/**
 * An Opener whose source comes from `makeSource`: the demo builds its PostgreSQL source with a pool of
 * one connection, and goes through the same checks and clean-up as every run.
 */
export function openerWith(makeSource: SourceFactory): Opener {
  return async (config, options) => {
    // One breaker for every request of this process: a server down for everyone fails the run promptly.
    let probe: () => Promise<string | undefined> = () => Promise.resolve(undefined);
    const circuit = new CircuitBreaker({
      server: `OpenMetadata at ${config.workflowConfig.openMetadataServerConfig.hostPort}`,
      probe: () => probe(),
      logger: options.logger,
      signal: options.signal,
      sleep: options.sleep,
      now: options.now,
    });
    const sink = createSink(config, { logger: options.logger, signal: options.signal, sleep: circuit.sleep, circuit });
    if (sink instanceof OpenMetadataSink) probe = () => sink.probe();
    let source: Source | undefined;
    try {
      // The sink first: a wrong hostPort or token is found before any database is touched.
      await sink.check();
      source = await makeSource(config, {
        logger: options.logger,
        signal: options.signal,
        concurrency: options.concurrency ?? 1,
      });
      await source.testConnection();
    } catch (error) {
      await Promise.allSettled([source?.close(), sink.close()]);
      throw error;
    }
    const opened = source;
    return {
      source: opened,
      sink,
      close: async () => {
        await Promise.allSettled([opened.close(), sink.close()]);
      },
    };
  };
}

export const openRuntime: Opener = openerWith(createSource);
