import { describe, expect, it } from 'vitest';
import {
  RetryBudget,
  TransientError,
  backoffDelayMs,
  entityRetryBudget,
  isTransientStatus,
  parseRetryAfter,
  withRetry,
} from '../../src/util/retry.js';

const policy = { maxAttempts: 4, backoffSeconds: 1, backoffFactor: 2, maxBackoffSeconds: 3 };

describe('retry', () => {
  it('waits backoff * factor^(n-1), capped at maxBackoffSeconds', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(policy, n))).toEqual([1000, 2000, 3000, 3000]);
  });

  it('lets Retry-After replace the computed delay, still capped', () => {
    expect(backoffDelayMs(policy, 1, 2500)).toBe(2500);
    expect(backoffDelayMs(policy, 1, 60_000)).toBe(3000);
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('classifies 429 and 5xx as transient, 4xx as final', () => {
    expect([429, 500, 502, 503, 504].every(isTransientStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 501].some(isTransientStatus)).toBe(false);
  });

  it('retries transient errors until success, sleeping the backoff between attempts', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw new TransientError('busy', calls === 2 ? 1500 : undefined, 503);
        return 'ok';
      },
      policy,
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(waits).toEqual([1000, 1500]);
  });

  it('gives up after maxAttempts and rethrows the last error', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new TransientError(`busy ${calls}`);
        },
        policy,
        { sleep: async () => {} },
      ),
    ).rejects.toThrow('busy 4');
    expect(calls).toBe(4);
  });

  it('does not retry errors that are not transient', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error('bad request');
        },
        policy,
        { sleep: async () => {} },
      ),
    ).rejects.toThrow('bad request');
    expect(calls).toBe(1);
  });

  it('retries network errors by their Node error code', async () => {
    let calls = 0;
    const value = await withRetry(
      async () => {
        if (++calls === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        return calls;
      },
      policy,
      { sleep: async () => {} },
    );
    expect(value).toBe(2);
  });

  it('draws retries from a budget shared by several calls instead of maxAttempts per call', async () => {
    const policy = { maxAttempts: 3, backoffSeconds: 1, backoffFactor: 2, maxBackoffSeconds: 10 };
    const budget = entityRetryBudget(policy);
    expect(budget.remaining).toBe(8);
    const delays: number[] = [];
    const failing = (times: number) => {
      let left = times;
      return async () => {
        if (left-- > 0) throw new TransientError('503');
        return 'ok';
      };
    };
    const options = { budget, sleep: async (ms: number) => void delays.push(ms) };
    await expect(withRetry(failing(5), policy, options)).resolves.toBe('ok');
    expect(budget.remaining).toBe(3);
    expect(delays).toEqual([1000, 2000, 1000, 2000, 1000]);
    await expect(withRetry(failing(4), policy, options)).rejects.toThrow('503');
    expect(budget.remaining).toBe(0);
    expect(new RetryBudget(0).spend()).toBe(false);
  });
});
