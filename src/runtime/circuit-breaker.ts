/**
 * A circuit breaker around the OpenMetadata requests of a whole run (every shard of a local run, every
 * request of a pod). A server that answers 5xx to everything (or cannot be reached) would otherwise be
 * retried entity by entity, each with the full retryPolicy: about 12 minutes per entity at the default
 * 60 s backoff.
 *
 * - Every HTTP attempt reports its outcome (the sink's `circuit` hook): a 5xx answer or a network error is
 *   a failure, anything else (2xx, 4xx, 429 — the server is alive) a success that closes the streak.
 * - The breaker trips after `maxConsecutive` failures in a row, or after failures with no success in
 *   between for `outageMs` (at least two): under a 20% fault rate successes keep arriving, under an
 *   outage they do not.
 * - Tripped, it pauses every new request for `pauseMs`, then probes the server (`GET /v1/system/version`).
 *   A failed probe opens it for good: every request, and every retry wait in progress, fails at once with
 *   one sentence (CircuitOpenError, run-fatal). A healthy probe closes it, once: tripping again without a
 *   success in between opens it without another probe.
 *
 * At the default policy an all-500 server fails the run about 75 s after the first failure (failures at
 * 0 s and 60 s, pause 15 s, probe).
 */
import { SinkError } from '../sink/contract.js';
import type { Logger } from '../util/logger.js';
import { sleep as defaultSleep } from '../util/retry.js';

export const CIRCUIT_DEFAULTS = { maxConsecutive: 10, outageMs: 30_000, pauseMs: 15_000 } as const;

export interface CircuitBreakerOptions {
  /** Names the server in the final sentence: `OpenMetadata at http://om:8585/api`. */
  readonly server: string;
  /** One health check, no retries: undefined when healthy, else what went wrong (`HTTP 500`). */
  readonly probe: () => Promise<string | undefined>;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** @default setTimeout-based sleep */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default CIRCUIT_DEFAULTS.maxConsecutive */
  readonly maxConsecutive?: number;
  /** @default CIRCUIT_DEFAULTS.outageMs */
  readonly outageMs?: number;
  /** @default CIRCUIT_DEFAULTS.pauseMs */
  readonly pauseMs?: number;
}

/** The run-fatal error of an open breaker (reason `unreachable`: no entity can get past it). */
export class CircuitOpenError extends SinkError {
  constructor(message: string) {
    super(message, 'unreachable');
    this.name = 'CircuitOpenError';
  }
}

export class CircuitBreaker {
  private consecutive = 0;
  private streakStart = 0;
  private lastFailure = '';
  private probedOk = false;
  private pausing?: Promise<void>;
  private open?: CircuitOpenError;
  private readonly waiters = new Set<(error: CircuitOpenError) => void>();
  private readonly now: () => number;
  private readonly innerSleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
    this.innerSleep = options.sleep ?? defaultSleep;
  }

  /** The error every request gets once the breaker is open. */
  get error(): CircuitOpenError | undefined {
    return this.open;
  }

  /** Called before each HTTP attempt: waits out a pause, throws when open. */
  async beforeRequest(): Promise<void> {
    if (this.pausing) await this.pausing;
    if (this.open) throw this.open;
  }

  /** Called after each HTTP attempt: `failure` describes a 5xx / network error, undefined otherwise. */
  afterRequest(failure: string | undefined): void {
    if (failure === undefined) {
      this.consecutive = 0;
      this.probedOk = false;
      return;
    }
    if (this.consecutive === 0) this.streakStart = this.now();
    this.consecutive++;
    this.lastFailure = failure;
    if (this.open || this.pausing) return;
    const maxConsecutive = this.options.maxConsecutive ?? CIRCUIT_DEFAULTS.maxConsecutive;
    const outageMs = this.options.outageMs ?? CIRCUIT_DEFAULTS.outageMs;
    const sustained = this.consecutive >= 2 && this.now() - this.streakStart >= outageMs;
    if (this.consecutive < maxConsecutive && !sustained) return;
    if (this.probedOk) {
      this.trip('and again after a health check had passed');
      return;
    }
    this.pausing = this.pauseAndProbe().finally(() => {
      this.pausing = undefined;
    });
  }

  /** A retry wait that ends early, with the breaker's error, when the breaker opens. */
  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    if (this.open) return Promise.reject(this.open);
    return new Promise<void>((resolve, reject) => {
      const onOpen = (error: CircuitOpenError) => reject(error);
      this.waiters.add(onOpen);
      this.innerSleep(ms, signal).then(
        () => {
          this.waiters.delete(onOpen);
          if (this.open) reject(this.open);
          else resolve();
        },
        (error: unknown) => {
          this.waiters.delete(onOpen);
          reject(error);
        },
      );
    });
  };

  private async pauseAndProbe(): Promise<void> {
    const pauseMs = this.options.pauseMs ?? CIRCUIT_DEFAULTS.pauseMs;
    this.options.logger.warn(
      `${this.options.server} failed ${this.consecutive} requests in a row (last: ${this.lastFailure}); ` +
        `pausing ${Math.round(pauseMs / 1000)} s, then checking that it is up`,
    );
    try {
      await this.innerSleep(pauseMs, this.options.signal);
    } catch {
      return; // cancelled: the run's signal tells the story
    }
    let problem: string | undefined;
    try {
      problem = await this.options.probe();
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    if (problem !== undefined) {
      this.trip(`and a health check after a ${Math.round(pauseMs / 1000)} s pause failed too (${problem})`);
      return;
    }
    this.options.logger.info(`${this.options.server} answered the health check; resuming`);
    this.consecutive = 0;
    this.probedOk = true;
  }

  private trip(detail: string): void {
    const seconds = Math.round((this.now() - this.streakStart) / 1000);
    this.open = new CircuitOpenError(
      `${this.options.server} failed ${this.consecutive} requests in a row over ${seconds} s ` +
        `(last: ${this.lastFailure}) ${detail}; stopping the run instead of retrying every entity. ` +
        'Check the server (its logs, its database and search backends) and run again.',
    );
    this.options.logger.error(this.open.message);
    for (const wake of this.waiters) wake(this.open);
    this.waiters.clear();
  }
}
