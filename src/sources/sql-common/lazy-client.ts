/** A catalogue row: column name -> value, as the driver returns it. */
export type CatalogRow = Readonly<Record<string, unknown>>;

/** The narrow query seam under a catalogue engine: one statement with bound parameters -> rows. */
export interface QueryClient<P, R = CatalogRow> {
  runQuery(sql: string, params?: P): Promise<R[]>;
  close(): Promise<void>;
}

/**
 * A driver client opened on the first query and shared by every later one. A failed connect is kept
 * (each later query fails the same way, no reconnect storm); close() closes the client if it ever
 * connected. Every failure, of the connect or of a statement, goes through `sourceError` (the engine's
 * mapping to one SourceError sentence).
 */
export class LazyClient<P, R = CatalogRow> {
  private client?: Promise<QueryClient<P, R>>;

  constructor(
    private readonly connect: () => Promise<QueryClient<P, R>>,
    private readonly sourceError: (error: unknown) => Error,
  ) {}

  async query(sql: string, params?: P): Promise<R[]> {
    try {
      this.client ??= this.connect();
      return await (await this.client).runQuery(sql, params);
    } catch (error) {
      throw this.sourceError(error);
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await (await client.catch(() => undefined))?.close();
  }
}
