/**
 * The PostgreSQL connector (`source.type: postgres`), a DiscoverableSource on `pg`:
 * - testConnection(): connects to `database`; failures are one sentence naming host, user and database.
 * - parents(): the database service (secrets stripped), then each database and its schemas after filters.
 * - discover(): relation names only (tables, partitioned parents, foreign tables; views and materialized
 *   views with includeViews), paged by key so memory stays bounded, in (database, schema, name) order.
 * - process(batch): per (database, schema) of the batch one catalogue query (relations with their
 *   columns and keys) whatever the batch size; a relation that cannot be read is a failed outcome of its
 *   own.
 */
import type { PostgresConnection } from '../../config/connections/postgres.js';
import type { SourceFactory } from '../contract.js';
import { wrongSource, type DatabaseMetadataConfig } from '../../config/schema.js';
import { compileFilter } from '../common/filters.js';
import { buildFqn, splitFqn } from '../../model/fqn.js';
import { databaseRequest, databaseSchemaRequest, databaseServiceRequest, tableRequest } from '../common/requests.js';
import { passwordOf } from '../../config/connections/common.js';
import type {
  DiscoverableSource,
  EntityDescriptor,
  EntityOutcome,
  ListingScope,
  SourceOptions,
  UpsertRequest,
} from '../contract.js';
import { databaseMetadata } from '../sql-common/config.js';
import { groupBy } from '../sql-common/names.js';
import { ReadCoalescer } from '../sql-common/read-coalescer.js';
import {
  DESCRIBE_BATCH,
  LIST_DATABASES,
  LIST_RELATIONS_PAGE,
  LIST_SCHEMAS,
  RELKIND_TABLE_TYPE,
  type DatabaseRow,
  type RelationNameRow,
  type RelationRow,
  type Relkind,
  type SchemaRow,
} from './catalog.js';
import { PostgresPools, parseHostPort, sslOption } from './client.js';
import { connectionError, isConnectionLevel, redact, transientError } from './errors.js';
import { buildTableInfo } from './tables.js';

export interface PostgresSourceProps {
  readonly serviceName: string;
  readonly connection: PostgresConnection;
  readonly metadata: DatabaseMetadataConfig;
  readonly options: SourceOptions;
  /** Connections per database. @default min(options.concurrency, MAX_CONNECTIONS) */
  readonly maxConnections?: number;
  /** Close idle connections after this long; 0 keeps them open. @default 10000 */
  readonly idleTimeoutMillis?: number;
  /** Relation names per discovery query. @default 5000 */
  readonly discoveryPageSize?: number;
  /** Observes every SQL statement sent (tests count catalogue queries). @default none */
  readonly onQuery?: (database: string, sql: string) => void;
}

interface SchemaEntry {
  readonly name: string;
  readonly description?: string;
}

/**
 * Most connections per database, whatever the run's parallelism. A shard holds a connection only for a
 * batch's catalogue query, then spends far longer upserting; 10 connections keep 50 shards fed,
 * while each extra PostgreSQL backend costs the server tens of ms of CPU to start (fork, SCRAM, cold
 * catalogue caches). Measured with bench/profile.ts at parallelism 50: PostgreSQL CPU per entity 2.65 ms
 * with 50 connections, 0.94 ms with 10, at the same or better throughput.
 */
export const MAX_CONNECTIONS = 10;

/**
 * Most relations, and columns, per catalogue query when concurrent batches of one schema are merged
 * (ReadCoalescer): the column cap matches the worker's per-batch memory budget (20,000 columns).
 */
const MAX_MERGED_RELATIONS = 200;
const MAX_MERGED_COLUMNS = 20_000;

const TABLE_KINDS: readonly Relkind[] = ['r', 'p', 'f'];
const VIEW_KINDS: readonly Relkind[] = ['v', 'm'];

export class PostgresSource implements DiscoverableSource {
  readonly type = 'postgres';
  private readonly pools: PostgresPools;
  private readonly kinds: readonly Relkind[];
  private readonly keepDatabase: (name: string) => boolean;
  private readonly keepSchema: (name: string) => boolean;
  private readonly keepTable: (name: string) => boolean;
  private readonly password?: string;
  private databasesPromise?: Promise<string[]>;
  private readonly schemaCache = new Map<string, Promise<SchemaEntry[]>>();
  /** Databases the filters include that could not be listed, and why (filled by listDatabases). */
  private readonly unlisted = new Map<string, string>();
  /** Batches of one schema asked for at the same time are read with one query. */
  private readonly reads = new ReadCoalescer<Located, EntityOutcome>({
    read: (_key, entities) => this.describeGroup(entities[0]!.database, entities[0]!.schema, entities),
    idOf: (e) => e.fqn,
    outcomeIdOf: (o) => o.fqn,
    weightOf: (e) => e.columns,
    maxEntities: MAX_MERGED_RELATIONS,
    maxWeight: MAX_MERGED_COLUMNS,
  });

  constructor(private readonly props: PostgresSourceProps) {
    const { connection, metadata, options } = props;
    const { host, port } = parseHostPort(connection.hostPort);
    this.password = passwordOf(connection);
    this.pools = new PostgresPools({
      host,
      port,
      user: connection.username,
      password: this.password,
      ssl: sslOption(connection.sslMode),
      maxConnections: props.maxConnections ?? Math.min(options.concurrency, MAX_CONNECTIONS),
      idleTimeoutMillis: props.idleTimeoutMillis,
      onQuery: props.onQuery,
    });
    this.kinds = [...(metadata.includeTables ? TABLE_KINDS : []), ...(metadata.includeViews ? VIEW_KINDS : [])];
    this.keepDatabase = compileFilter(metadata.databaseFilterPattern);
    this.keepSchema = compileFilter(metadata.schemaFilterPattern);
    this.keepTable = compileFilter(metadata.tableFilterPattern);
  }

  async testConnection(): Promise<void> {
    await this.pools.check(this.props.connection.database);
    if (this.props.connection.ingestAllDatabases) await this.databases();
  }

  async *parents(): AsyncIterable<UpsertRequest> {
    const { serviceName, connection } = this.props;
    yield databaseServiceRequest(serviceName, 'Postgres', connection);
    for (const database of await this.databases()) {
      yield databaseRequest(serviceName, database);
      for (const schema of await this.schemas(database)) {
        yield databaseSchemaRequest(serviceName, database, schema.name, schema.description);
      }
    }
  }

  async *discover(): AsyncIterable<EntityDescriptor> {
    const { serviceName, discoveryPageSize = 5000 } = this.props;
    if (this.kinds.length === 0) return;
    for (const database of await this.databases()) {
      let last = { schema: '', name: '' };
      for (;;) {
        this.props.options.signal?.throwIfAborted();
        const page = await this.list<RelationNameRow>(database, LIST_RELATIONS_PAGE, [
          this.kinds,
          last.schema,
          last.name,
          discoveryPageSize,
        ]);
        for (const row of page) {
          if (!this.schemaKept(database, row.schema)) continue;
          const fqn = buildFqn(serviceName, database, row.schema, row.name);
          if (!this.keepTable(this.props.metadata.useFqnForFiltering ? fqn : row.name)) continue;
          yield {
            fqn,
            type: 'table',
            meta: {
              database,
              schema: row.schema,
              table: row.name,
              tableType: RELKIND_TABLE_TYPE[row.kind],
              columns: row.columns,
            },
          };
        }
        if (page.length < discoveryPageSize) break;
        const tail = page[page.length - 1]!;
        last = { schema: tail.schema, name: tail.name };
      }
    }
  }

  async process(batch: readonly EntityDescriptor[]): Promise<EntityOutcome[]> {
    const groups = groupBy(batch.map(locate), (e) => JSON.stringify([e.database, e.schema]));
    const byFqn = new Map<string, EntityOutcome>();
    for (const [key, entities] of groups) {
      const outcomes = await this.reads.read(key, entities);
      for (const e of entities) byFqn.set(e.fqn, outcomes.get(e.fqn)!);
    }
    return batch.map((d) => byFqn.get(d.fqn)!);
  }

  /**
   * Listed: every schema (after filters) of every database that could be opened. Unlisted: databases the
   * filters include that refused the connection or that this user may not open, and databases whose
   * schema list failed.
   */
  async listingScope(): Promise<ListingScope> {
    const { serviceName } = this.props;
    const listed: string[] = [];
    const failed = new Map<string, string>();
    for (const database of await this.databases()) {
      try {
        for (const schema of await this.schemas(database)) listed.push(buildFqn(serviceName, database, schema.name));
      } catch (error) {
        failed.set(database, this.message(error).replace(/\.$/, ''));
      }
    }
    const unlisted = [...this.unlisted, ...failed].map(([database, reason]) => ({
      fqn: buildFqn(serviceName, database),
      reason,
    }));
    return { listed, unlisted };
  }

  close(): Promise<void> {
    return this.pools.close();
  }

  /** One catalogue query for any number of relations of one schema. */
  private async describeGroup(
    database: string,
    schema: string,
    entities: readonly Located[],
  ): Promise<EntityOutcome[]> {
    try {
      const relations = await this.describe<RelationRow>(database, DESCRIBE_BATCH, [
        schema,
        entities.map((e) => e.table),
        this.kinds,
      ]);
      const relationByName = new Map(relations.map((r) => [r.name, r]));
      const place = { service: this.props.serviceName, database, schema };
      return entities.map((e): EntityOutcome => {
        const relation = relationByName.get(e.table);
        if (!relation) {
          return {
            fqn: e.fqn,
            ok: false,
            error: `PostgreSQL no longer has ${e.kindLabel} "${schema}"."${e.table}" in database "${database}" (dropped or renamed since discovery)`,
            retryable: false,
          };
        }
        try {
          const info = buildTableInfo(place, relation);
          return { fqn: e.fqn, ok: true, requests: [tableRequest(info)] };
        } catch (error) {
          return { fqn: e.fqn, ok: false, error: this.message(error), retryable: false };
        }
      });
    } catch (error) {
      if (isConnectionLevel(error)) throw transientError(error, this.pools.target(database));
      if (isAccessLevel(error)) throw connectionError(error, this.pools.target(database));
      // A statement error (permission, a relation dropped mid-query): isolate the culprit table by table.
      if (entities.length > 1) {
        const outcomes: EntityOutcome[] = [];
        for (const entity of entities) outcomes.push(...(await this.describeGroup(database, schema, [entity])));
        return outcomes;
      }
      return entities.map((e) => ({
        fqn: e.fqn,
        ok: false,
        error: `reading the metadata of "${schema}"."${e.table}" failed: ${this.message(error)}`,
        retryable: false,
      }));
    }
  }

  /** Databases to ingest, after the database filter; each secondary one is checked once. */
  private databases(): Promise<string[]> {
    this.databasesPromise ??= this.listDatabases();
    return this.databasesPromise;
  }

  private async listDatabases(): Promise<string[]> {
    const { connection, serviceName, metadata, options } = this.props;
    const keep = (db: string) => this.keepDatabase(metadata.useFqnForFiltering ? buildFqn(serviceName, db) : db);
    if (!connection.ingestAllDatabases) return keep(connection.database) ? [connection.database] : [];
    const rows = await this.list<DatabaseRow>(connection.database, LIST_DATABASES);
    const usable: string[] = [];
    for (const row of rows.filter((r) => keep(r.name))) {
      const { name } = row;
      if (!row.allow_conn || !row.can_connect) {
        // Not a warning by itself (a shared server has many databases a user may not open); mark-deleted
        // turns it into an incomplete listing when OpenMetadata holds tables of it.
        const reason = !row.allow_conn
          ? 'the database does not allow connections (datallowconn is false)'
          : `user "${connection.username}" has no CONNECT privilege on it`;
        this.unlisted.set(name, reason);
        options.logger.debug(`Not listing database ${JSON.stringify(name)}: ${reason}`);
        continue;
      }
      try {
        if (name !== connection.database) await this.pools.check(name);
        usable.push(name);
      } catch (error) {
        const reason = this.message(error).replace(/\.$/, '');
        this.unlisted.set(name, reason);
        options.logger.warn(`Skipping database ${JSON.stringify(name)}: ${reason}`);
      }
    }
    return usable;
  }

  private schemas(database: string): Promise<SchemaEntry[]> {
    let cached = this.schemaCache.get(database);
    if (!cached) {
      cached = this.list<SchemaRow>(database, LIST_SCHEMAS).then((rows) =>
        rows
          .filter((r) => this.schemaKept(database, r.name))
          .map((r) => ({ name: r.name, description: r.description ?? undefined })),
      );
      this.schemaCache.set(database, cached);
    }
    return cached;
  }

  private schemaKept(database: string, schema: string): boolean {
    const { serviceName, metadata } = this.props;
    return this.keepSchema(metadata.useFqnForFiltering ? buildFqn(serviceName, database, schema) : schema);
  }

  /** A listing query; a connection or access failure becomes one clear sentence (SourceError). */
  private async list<R extends object>(database: string, sql: string, params: readonly unknown[] = []): Promise<R[]> {
    try {
      return (await this.pools.query(database, sql, params)) as R[];
    } catch (error) {
      if (isConnectionLevel(error) || isAccessLevel(error)) throw connectionError(error, this.pools.target(database));
      throw error;
    }
  }

  /** A catalogue query of process(); its errors are sorted out by describeGroup. */
  private async describe<R extends object>(database: string, sql: string, params: readonly unknown[]): Promise<R[]> {
    return (await this.pools.query(database, sql, params)) as R[];
  }

  private message(error: unknown): string {
    return redact(error instanceof Error ? error.message : String(error), this.password);
  }
}

/** An entity and where it lives (from its meta; from its FQN for descriptors of older discoveries). */
interface Located {
  readonly fqn: string;
  readonly database: string;
  readonly schema: string;
  readonly table: string;
  readonly kindLabel: string;
  /** Columns from discovery (relnatts, an upper bound), 1 when unknown: the weight of a merged read. */
  readonly columns: number;
}

function locate(descriptor: EntityDescriptor): Located {
  const parts = splitFqn(descriptor.fqn);
  const meta = descriptor.meta ?? {};
  const str = (v: unknown, fallback: string | undefined) => (typeof v === 'string' ? v : (fallback ?? ''));
  const tableType = str(meta['tableType'], 'Regular');
  return {
    fqn: descriptor.fqn,
    database: str(meta['database'], parts[1]),
    schema: str(meta['schema'], parts[2]),
    table: str(meta['table'], parts[parts.length - 1]),
    kindLabel: tableType === 'View' || tableType === 'MaterializedView' ? 'the view' : 'the table',
    columns: typeof meta['columns'] === 'number' ? Math.max(1, meta['columns']) : 1,
  };
}

/** Authentication / authorization / missing-database errors: the whole run's problem, not one table's. */
function isAccessLevel(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  return code.startsWith('28') || code === '3D000';
}

export const createSource: SourceFactory = (source, options) => {
  if (source.type !== 'postgres') throw wrongSource('postgres', source);
  return new PostgresSource({
    serviceName: source.serviceName,
    connection: source.serviceConnection.config,
    metadata: databaseMetadata(source),
    options,
  });
};
