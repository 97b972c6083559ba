/**
 * `argo-ingest demo --serve`: the demo's embedded PostgreSQL with the sample estate, left running for
 * other commands (`run`, `emulate`) to ingest from, until the signal ends it.
 */
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
import { buildEstate, type Estate } from './estate.js';

export interface DemoServerOptions {
  /** Schemas of the sample estate. @default 4 */
  readonly schemas?: number;
  /** Tables per schema (plus views, a materialized view, a partitioned and a foreign table each). @default 25 */
  readonly tablesPerSchema?: number;
  /** TCP port on 127.0.0.1. @default 0 (an ephemeral port) */
  readonly port?: number;
}

export interface DemoServer {
  readonly embedded: EmbeddedPostgres;
  readonly estate: Estate;
  close(): Promise<void>;
}

export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const embedded = await startEmbeddedPostgres({ port: options.port ?? 0 });
  try {
    const estate = await buildEstate(embedded.db, {
      schemas: options.schemas ?? 4,
      tablesPerSchema: options.tablesPerSchema ?? 25,
      foreignTables: true,
    });
    return { embedded, estate, close: () => embedded.close() };
  } catch (error) {
    await embedded.close();
    throw error;
  }
}

/** What `demo --serve` prints: where the server is and the commands that ingest from it. */
export function serveInstructions(server: DemoServer): string {
  const { embedded, estate } = server;
  return (
    `Embedded PostgreSQL with the sample estate (${estate.schemas.length} schemas, ${estate.entityCount} ` +
    `tables and views) at ${embedded.hostPort}. It takes one connection at a time and any password.\n` +
    'In another terminal:\n' +
    `  export POSTGRES_HOST_PORT=${embedded.hostPort} POSTGRES_USER=${embedded.user} POSTGRES_PASSWORD=demo\n` +
    '  argo-ingest emulate -c examples/postgres-distributed.yaml --sink-file out.jsonl --max-pods 1\n' +
    'Ctrl-C stops the server.\n'
  );
}
