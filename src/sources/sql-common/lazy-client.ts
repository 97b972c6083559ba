/**
 * A driver client opened on first use and shared by every later query. A failed connect is kept (each
 * later query fails the same way, no reconnect storm); close() closes the client if it ever connected.
 */
export class LazyClient<C extends { close(): Promise<void> }> {
  private client?: Promise<C>;

  constructor(private readonly connect: () => Promise<C>) {}

  /** The client, connecting on the first call. */
  get(): Promise<C> {
    this.client ??= this.connect();
    return this.client;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await (await client.catch(() => undefined))?.close();
  }
}
