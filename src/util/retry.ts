/**
 * Retry with exponential backoff for transient faults (network errors, 429, 5xx), shared by the sink,
 * the runtime's per-entity retries and the HTTP connectors. The policy is the config's `retryPolicy`:
 * attempt n (1-based) that fails waits backoffSeconds * backoffFactor^(n-1), capped at maxBackoffSeconds;
 * a server's `Retry-After` replaces the computed delay (still capped).
 */
export interface RetryPolicyLike {
  /** Total attempts, the first included. */
  readonly maxAttempts: number;
  readonly backoffSeconds: number;
  readonly backoffFactor: number;
  readonly maxBackoffSeconds: number;
}

/** An error worth retrying; `retryAfterMs` is the server's hint, when it gave one. */
export class TransientError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'TransientError';
  }
}

/** Network error codes that mean "try again", as Node reports them. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Whether an HTTP status is transient: 408, 425, 429 and every 5xx except 501 / 505. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && TRANSIENT_CODES.has(code);
}

/** The delay before attempt `failedAttempt + 1`, in milliseconds. */
export function backoffDelayMs(policy: RetryPolicyLike, failedAttempt: number, retryAfterMs?: number): number {
  const capMs = policy.maxBackoffSeconds * 1000;
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, capMs);
  const computed = policy.backoffSeconds * 1000 * Math.pow(policy.backoffFactor, failedAttempt - 1);
  return Math.min(computed, capMs);
}

/** Parses `Retry-After` (delta-seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The retries one owner may still spend, shared by several requests: the writes of one entity (or of
 * one parent) draw on one budget, so an entity costs at most its requests plus `remaining` HTTP attempts
 * however many requests it has and whoever sends them.
 */
export class RetryBudget {
  constructor(private left: number) {}

  get remaining(): number {
    return this.left;
  }

  /** Takes one retry; false when none is left. */
  spend(): boolean {
    if (this.left <= 0) return false;
    this.left--;
    return true;
  }
}

/**
 * The retry budget of one entity's writes (or one parent's): maxAttempts^2 - 1 retries in total (8 at
 * the default maxAttempts 3), so a one-request entity costs at most maxAttempts^2 HTTP attempts. At a 20%
 * transient fault rate that loses about 1 entity in 2 million (0.2^9); docs/runtime.md states it.
 */
export function entityRetryBudget(policy: RetryPolicyLike): RetryBudget {
  const attempts = Math.max(1, policy.maxAttempts);
  return new RetryBudget(attempts * attempts - 1);
}

export interface RetryOptions {
  readonly signal?: AbortSignal;
  /**
   * Retries drawn from a budget shared with other calls instead of `policy.maxAttempts` for this call
   * alone; the waits follow the policy, cycling through its first maxAttempts - 1.
   */
  readonly budget?: RetryBudget;
  /** Decides which errors are retried. @default isTransient */
  readonly retryable?: (error: unknown) => boolean;
  /** Called before each wait (for logs); never receives secrets, only the error's message. */
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  /** Replaceable for tests. @default setTimeout-based sleep that honours `signal` */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `fn` until it succeeds, throws a non-retryable error, or `policy.maxAttempts` (or, with
 * `options.budget`, the budget) are used up.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicyLike,
  options: RetryOptions = {},
): Promise<T> {
  const retryable = options.retryable ?? isTransient;
  const wait = options.sleep ?? sleep;
  const attempts = Math.max(1, policy.maxAttempts);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!retryable(error) || options.signal?.aborted) throw error;
      if (options.budget ? !options.budget.spend() : attempt >= attempts) throw error;
      const hint = error instanceof TransientError ? error.retryAfterMs : undefined;
      // From a budget, the waits cycle through the policy's first maxAttempts - 1 (60 s, 120 s, 60 s,
      // ... at the default): a write that never succeeds waits as long as maxAttempts rounds of
      // maxAttempts attempts, not the ever longer waits of one long round.
      const step = options.budget ? ((attempt - 1) % Math.max(1, attempts - 1)) + 1 : attempt;
      const delayMs = backoffDelayMs(policy, step, hint);
      options.onRetry?.({ attempt, delayMs, error });
      await wait(delayMs, options.signal);
    }
  }
}
