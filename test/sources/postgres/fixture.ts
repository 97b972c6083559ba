/** Builds PostgresSource instances against a test server, with a query counter. */
import type { DatabaseMetadataConfig } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/util/logger.js';
import type { EntityDescriptor } from '../../../src/sources/contract.js';
import type { PostgresConnection } from '../../../src/config/connections/postgres.js';
import { PostgresSource, type PostgresSourceProps } from '../../../src/sources/postgres/source.js';
import type { PostgresServer } from '../../support/postgres-server.js';

export interface Counted {
  readonly source: PostgresSource;
  /** SQL statements sent so far, with their database. */
  readonly queries: { database: string; sql: string }[];
}

export function metadataConfig(overrides: Partial<DatabaseMetadataConfig> = {}): DatabaseMetadataConfig {
  return {
    type: 'DatabaseMetadata',
    markDeletedTables: true,
    includeTables: true,
    includeViews: true,
    useFqnForFiltering: false,
    ...overrides,
  };
}

export function connectionFor(server: PostgresServer, overrides: Partial<PostgresConnection> = {}): PostgresConnection {
  return {
    type: 'Postgres',
    username: server.user,
    authType: { password: server.password },
    hostPort: server.hostPort,
    database: server.database,
    ingestAllDatabases: false,
    ...overrides,
  };
}

export function makeSource(
  server: PostgresServer,
  options: {
    metadata?: Partial<DatabaseMetadataConfig>;
    connection?: Partial<PostgresConnection>;
    props?: Partial<PostgresSourceProps>;
    concurrency?: number;
  } = {},
): Counted {
  const queries: { database: string; sql: string }[] = [];
  const source = new PostgresSource({
    serviceName: 'pg_svc',
    connection: connectionFor(server, options.connection),
    metadata: metadataConfig(options.metadata),
    options: { logger: silentLogger, concurrency: options.concurrency ?? 2 },
    onQuery: (database, sql) => queries.push({ database, sql }),
    ...options.props,
  });
  return { source, queries };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Discovered table names (last FQN part), in discovery order. */
export function names(descriptors: readonly EntityDescriptor[]): string[] {
  return descriptors.map((d) => String(d.meta?.['schema']) + '.' + String(d.meta?.['table']));
}
