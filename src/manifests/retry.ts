/**
 * The pod-level half of the two-level retry (DESIGN.md "Argo shape" 5): the config's retryPolicy as an
 * Argo `retryStrategy`. The entity-level half lives in the worker runtime.
 */
import type { RetryPolicy } from '../config/distributed.js';

/** Plain JSON of an Argo retryStrategy, valid on Argo v3.6+ and v4. */
export interface ArgoRetryStrategy {
  /** Retries after the first attempt: maxAttempts - 1. */
  readonly limit: number;
  readonly retryPolicy: 'Always';
  readonly backoff: {
    readonly duration: string;
    readonly factor: number;
    /** Only for Argo >= 3.7, where `backoff.cap` exists. */
    readonly cap?: string;
  };
}

/** `backoff.cap` appeared in Argo Workflows v3.7.0. */
const CAP_SINCE: readonly [number, number] = [3, 7];

/**
 * The Argo retryStrategy for `policy`, or undefined when maxAttempts is 1 (no retries). `Always` retries
 * both failures (non-zero exit) and errors (evicted or deleted pods).
 */
export function argoRetryStrategy(policy: RetryPolicy, argoVersion: string): ArgoRetryStrategy | undefined {
  if (policy.maxAttempts <= 1) return undefined;
  return {
    limit: policy.maxAttempts - 1,
    retryPolicy: 'Always',
    backoff: {
      duration: `${policy.backoffSeconds}s`,
      factor: policy.backoffFactor,
      ...(versionAtLeast(argoVersion, CAP_SINCE) ? { cap: `${policy.maxBackoffSeconds}s` } : {}),
    },
  };
}

/** `"3.7"`, `"v3.7.18"`, `"4.1"` compared with [major, minor]. */
export function versionAtLeast(version: string, [major, minor]: readonly [number, number]): boolean {
  const match = /^v?(\d+)\.(\d+)/.exec(version);
  if (!match) throw new Error(`not a version: ${version}`);
  const [maj, min] = [Number(match[1]), Number(match[2])];
  return maj > major || (maj === major && min >= minor);
}
