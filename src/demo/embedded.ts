/**
 * An embedded PostgreSQL for the demo: PGlite (PostgreSQL compiled to WebAssembly, in this process)
 * behind @electric-sql/pglite-socket's wire-protocol server on 127.0.0.1, so the real `pg` connector
 * talks to it over TCP exactly as to a PostgreSQL server.
 *
 * PGlite is one session. pglite-socket can multiplex several connections onto it, but it interleaves
 * their protocol messages one by one, which breaks `pg`'s extended protocol (Parse / Bind / Execute of
 * two clients mixed). So the server accepts ONE connection (it refuses the second with "Too many
 * connections"), and the demo's source uses a pool of one connection that it never closes while idle.
 */
import type { PGlite } from '@electric-sql/pglite';

/** Connections the embedded server accepts; the source's pool must not be wider. */
export const EMBEDDED_MAX_CONNECTIONS = 1;

export interface EmbeddedPostgres {
  /** `127.0.0.1:<port>` */
  readonly hostPort: string;
  readonly user: string;
  readonly database: string;
  /** The in-process database, for loading data without a connection (PGlite `exec`). */
  readonly db: PGlite;
  close(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Where PGlite keeps its files; in memory when omitted. @default in memory */
  readonly dataDir?: string;
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  // devDependencies of the package: loaded only when the demo runs, with a clear message if missing.
  const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([
    import('@electric-sql/pglite').catch(missing),
    import('@electric-sql/pglite-socket').catch(missing),
  ]);
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: options.port ?? 0,
    maxConnections: EMBEDDED_MAX_CONNECTIONS,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  let closed = false;
  return {
    hostPort: server.getServerConn(),
    user: 'postgres',
    database: 'postgres',
    db,
    async close() {
      if (closed) return;
      closed = true;
      await server.stop();
      await db.close();
    },
  };
}

function missing(error: unknown): never {
  throw Object.assign(
    new Error(
      `the demo needs @electric-sql/pglite and @electric-sql/pglite-socket (dev dependencies); run "npm ci" without --omit=dev (${(error as Error).message})`,
    ),
    { userFacing: true },
  );
}
