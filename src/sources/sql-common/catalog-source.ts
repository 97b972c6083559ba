/**
 * A DiscoverableSource over a CatalogEngine: the part every catalogue-view connector shares.
 * - discover(): per database one schema listing and one table listing; names only, sorted, filtered.
 * - parents(): the service (secrets stripped), then each database and its schemas after filters.
 * - process(batch): per schema of the batch one engine.describeTables call (O(1) queries), one outcome
 *   per table; a table the engine could not describe is a failed outcome, never a failed batch. Batches
 *   of one schema asked for at the same moment (local mode's shards starting together) share one call.
 */
import type { DatabaseMetadataConfig } from '../../config/schema.js';
import { compileFilter } from '../common/filters.js';
import { buildFqn } from '../../model/fqn.js';
import { databaseRequest, databaseSchemaRequest, databaseServiceRequest, tableRequest } from '../common/requests.js';
import type { DiscoverableSource, EntityDescriptor, EntityOutcome, SourceOptions } from '../contract.js';
import type { UpsertRequest } from '../../model/entities.js';
import { placeKeyConstraints } from './constraints.js';
import type { CatalogEngine, NestedColumnInfo, SchemaRef, TableDetail, TableRef } from './engine.js';
import { compareCodePoints, groupBy } from './names.js';
import { ReadCoalescer } from './read-coalescer.js';

export interface CatalogSourceProps {
  /** `source.type` (`snowflake`, `mssql`, ...). */
  readonly type: string;
  /** OpenMetadata serviceType (`Snowflake`, `Mssql`, ...). */
  readonly serviceType: string;
  readonly serviceName: string;
  /** serviceConnection.config for the service request; secret-like keys are stripped before sending. */
  readonly connection: Readonly<Record<string, unknown>>;
  readonly metadata: DatabaseMetadataConfig;
  readonly engine: CatalogEngine;
  readonly options: SourceOptions;
  /** Adjusts the service request body (e.g. BigQuery's non-secret credential fields). @default none */
  readonly decorateService?: (request: UpsertRequest) => UpsertRequest;
}

const VIEW_TYPES = new Set(['View', 'SecureView', 'MaterializedView']);

/**
 * Most tables per merged describe (ReadCoalescer): the default chunkSize, because these catalogues do
 * not tell a table's width before it is described, so a merged read must not hold more tables than a
 * batch may.
 */
const MAX_MERGED_TABLES = 100;

interface SchemaEntry {
  readonly ref: SchemaRef;
  readonly display: string;
}

export class CatalogSource implements DiscoverableSource {
  readonly type: string;
  private readonly engine: CatalogEngine;
  private readonly keepDatabase: (name: string) => boolean;
  private readonly keepSchema: (name: string) => boolean;
  private readonly keepTable: (name: string) => boolean;
  private readonly useFqn: boolean;
  private databases?: Promise<string[]>;
  private readonly schemas = new Map<string, Promise<SchemaEntry[]>>();
  private closed = false;
  /** Batches of one schema asked for at the same time (local mode's shards) are described together. */
  private readonly reads = new ReadCoalescer<EntityDescriptor, EntityOutcome>({
    read: (_key, entities) => this.describe(entities),
    idOf: (e) => e.fqn,
    outcomeIdOf: (o) => o.fqn,
    maxEntities: MAX_MERGED_TABLES,
  });

  constructor(private readonly props: CatalogSourceProps) {
    this.type = props.type;
    this.engine = props.engine;
    this.keepDatabase = compileFilter(props.metadata.databaseFilterPattern);
    this.keepSchema = compileFilter(props.metadata.schemaFilterPattern);
    this.keepTable = compileFilter(props.metadata.tableFilterPattern);
    this.useFqn = props.metadata.useFqnForFiltering;
  }

  testConnection(): Promise<void> {
    return this.engine.testConnection();
  }

  async *parents(): AsyncIterable<UpsertRequest> {
    const { serviceName, serviceType, connection, decorateService } = this.props;
    const service = databaseServiceRequest(serviceName, serviceType, connection);
    yield decorateService ? decorateService(service) : service;
    for (const database of await this.filteredDatabases()) {
      const dbName = this.display(database);
      yield databaseRequest(serviceName, dbName);
      for (const schema of await this.filteredSchemas(database)) {
        yield databaseSchemaRequest(serviceName, dbName, schema.display, schema.ref.description);
      }
    }
  }

  async *discover(): AsyncIterable<EntityDescriptor> {
    const { serviceName, metadata, options } = this.props;
    for (const database of await this.filteredDatabases()) {
      const dbName = this.display(database);
      const schemas = await this.filteredSchemas(database);
      if (schemas.length === 0) continue;
      const bySchema = groupBy(
        await this.engine.listTables(
          database,
          schemas.map((s) => s.ref),
        ),
        (t) => t.schema,
      );
      let count = 0;
      for (const schema of schemas) {
        const tables = (bySchema.get(schema.ref.stored) ?? []).filter((t) =>
          VIEW_TYPES.has(t.tableType) ? metadata.includeViews : metadata.includeTables,
        );
        const names = displayNames(
          tables.map((t) => t.stored),
          (s) => this.display(s),
        );
        const kept = tables
          .map((t) => ({ ref: t, name: names.get(t.stored)! }))
          .filter(({ name }) =>
            this.keepTable(this.useFqn ? buildFqn(serviceName, dbName, schema.display, name) : name),
          )
          .sort((a, b) => compareCodePoints(a.name, b.name) || compareCodePoints(a.ref.stored, b.ref.stored));
        for (const { ref, name } of kept) {
          count++;
          yield {
            fqn: buildFqn(serviceName, dbName, schema.display, name),
            type: 'table',
            meta: {
              database,
              schema: ref.schema,
              table: ref.stored,
              tableType: ref.tableType,
              databaseName: dbName,
              schemaName: schema.display,
              tableName: name,
            },
          };
        }
      }
      options.logger.debug(`${this.type}: ${count} tables and views in database ${dbName}`);
    }
  }

  async process(batch: readonly EntityDescriptor[]): Promise<EntityOutcome[]> {
    const outcomes = new Map<string, EntityOutcome>();
    const groups = groupBy(batch, (e) => JSON.stringify([meta(e, 'database'), meta(e, 'schema')]));
    for (const [key, entities] of groups) {
      const read = await this.reads.read(key, entities);
      for (const entity of entities) outcomes.set(entity.fqn, read.get(entity.fqn)!);
    }
    return batch.map((e) => outcomes.get(e.fqn)!);
  }

  /** One engine.describeTables call for tables of one schema. */
  private async describe(entities: readonly EntityDescriptor[]): Promise<EntityOutcome[]> {
    const first = entities[0]!;
    const database = meta(first, 'database');
    const schema = meta(first, 'schema');
    const refs: TableRef[] = entities.map((e) => ({
      schema,
      stored: meta(e, 'table'),
      tableType: meta(e, 'tableType') as TableRef['tableType'],
    }));
    const details = await this.engine.describeTables(database, schema, refs, (db, sc, table, column) =>
      buildFqn(this.props.serviceName, this.display(db), this.display(sc), this.display(table), this.display(column)),
    );
    return entities.map((entity) => this.outcome(entity, details.get(meta(entity, 'table'))));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.engine.close();
  }

  private outcome(entity: EntityDescriptor, detail: TableDetail | Error | undefined): EntityOutcome {
    if (detail === undefined) {
      return {
        fqn: entity.fqn,
        ok: false,
        error: 'not found in the catalogue any more (dropped since discovery?)',
        retryable: false,
      };
    }
    if (detail instanceof Error) return { fqn: entity.fqn, ok: false, error: detail.message, retryable: false };
    if (detail.columns.length === 0) {
      return { fqn: entity.fqn, ok: false, error: 'has no columns visible to this user', retryable: false };
    }
    const { columns, constraints } = placeKeyConstraints(detail.columns, detail.constraints ?? []);
    const request = tableRequest({
      service: this.props.serviceName,
      database: meta(entity, 'databaseName'),
      schema: meta(entity, 'schemaName'),
      name: meta(entity, 'tableName'),
      tableType: detail.tableType ?? (meta(entity, 'tableType') as TableRef['tableType']),
      description: detail.description,
      columns,
      constraints,
      viewDefinition: detail.viewDefinition,
    });
    attachChildren(request.body.columns as Record<string, unknown>[], columns);
    return { fqn: entity.fqn, ok: true, requests: [request] };
  }

  private display(stored: string): string {
    return this.engine.displayName ? this.engine.displayName(stored) : stored;
  }

  private filteredDatabases(): Promise<string[]> {
    this.databases ??= this.engine.listDatabases().then((all) => {
      const { serviceName } = this.props;
      return [...new Set(all)]
        .filter((db) => this.keepDatabase(this.useFqn ? buildFqn(serviceName, this.display(db)) : this.display(db)))
        .sort(compareCodePoints);
    });
    return this.databases;
  }

  private filteredSchemas(database: string): Promise<SchemaEntry[]> {
    let schemas = this.schemas.get(database);
    if (!schemas) {
      schemas = this.engine.listSchemas(database).then((refs) => {
        const dbName = this.display(database);
        const names = displayNames(
          refs.map((r) => r.stored),
          (s) => this.display(s),
        );
        return refs
          .map((ref) => ({ ref, display: names.get(ref.stored)! }))
          .filter(({ display }) =>
            this.keepSchema(this.useFqn ? buildFqn(this.props.serviceName, dbName, display) : display),
          )
          .sort((a, b) => compareCodePoints(a.display, b.display) || compareCodePoints(a.ref.stored, b.ref.stored));
      });
      this.schemas.set(database, schemas);
    }
    return schemas;
  }
}

function meta(entity: EntityDescriptor, key: string): string {
  const value = entity.meta?.[key];
  if (typeof value !== 'string')
    throw new Error(`entity ${entity.fqn} lacks "${key}"; was it discovered by this source?`);
  return value;
}

/**
 * Display names for stored names; when two stored names would show the same (`ORDERS` and `orders`
 * both as `orders`), both keep their stored spelling so every FQN stays unique.
 */
export function displayNames(stored: readonly string[], display: (s: string) => string): Map<string, string> {
  const counts = new Map<string, number>();
  for (const s of new Set(stored)) counts.set(display(s), (counts.get(display(s)) ?? 0) + 1);
  return new Map(stored.map((s) => [s, counts.get(display(s))! > 1 ? s : display(s)]));
}

/**
 * Nested fields as OpenMetadata column `children`, shaped by the same builder as top-level columns
 * (tableRequest is applied to the children as if they were a table's columns).
 */
function attachChildren(bodies: Record<string, unknown>[], columns: readonly NestedColumnInfo[]): void {
  columns.forEach((column, i) => {
    if (!column.children?.length) return;
    const shaped = tableRequest({
      service: 's',
      database: 'd',
      schema: 's',
      name: 't',
      tableType: 'Regular',
      columns: column.children,
    }).body.columns as Record<string, unknown>[];
    attachChildren(shaped, column.children);
    bodies[i]!.children = shaped;
  });
}
