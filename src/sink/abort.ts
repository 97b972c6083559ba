/**
 * One `abort` listener per signal, however many requests and retry waits are in flight.
 *
 * Handing the run's AbortSignal to every `http.request` (and to every retry sleep) adds one listener per
 * call; at parallelism 50 that passes Node's limit of 10 per EventTarget and prints
 * `MaxListenersExceededWarning`, and under load the listeners pile up. The sink registers its
 * callbacks here instead; this object listens on the signal once and calls them all on abort.
 */
export class AbortFanout {
  private readonly callbacks = new Set<(reason: unknown) => void>();
  private readonly onAbort = (): void => {
    for (const callback of [...this.callbacks]) callback(this.signal?.reason);
    this.callbacks.clear();
  };

  constructor(private readonly signal: AbortSignal | undefined) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Stops listening on the signal (the owner is closed). */
  dispose(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  get aborted(): boolean {
    return this.signal?.aborted ?? false;
  }

  get reason(): unknown {
    return this.signal?.reason;
  }

  /** Calls `callback` on abort (at once when already aborted); returns its removal. */
  add(callback: (reason: unknown) => void): () => void {
    if (this.signal?.aborted) {
      callback(this.signal.reason);
      return () => {};
    }
    this.callbacks.add(callback);
    return () => this.callbacks.delete(callback);
  }

  /** Listeners currently registered (for tests). */
  get size(): number {
    return this.callbacks.size;
  }

  /** A setTimeout-based wait that rejects with the abort reason, without a listener of its own. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.aborted) return reject(this.reason);
      const remove = this.add((reason) => {
        clearTimeout(timer);
        reject(reason);
      });
      const timer = setTimeout(() => {
        remove();
        resolve();
      }, ms);
    });
  }
}

/** What a request cut short by the signal rejects with, as Node's own `signal` option does. */
export class AbortError extends Error {
  readonly code = 'ABORT_ERR';
  constructor(cause: unknown) {
    super('The operation was aborted', { cause });
    this.name = 'AbortError';
  }
}
