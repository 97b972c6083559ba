/**
 * BigQuery through its REST API (the real @google-cloud/bigquery client): project = database,
 * dataset = schema. Discovery uses datasets.list and tables.list (paged) only. Processing uses
 * tables.get per table, at most `concurrency` in flight: BigQuery has no free batch column API; the
 * alternative, one INFORMATION_SCHEMA.COLUMNS query per dataset, is a billed query job that needs
 * bigquery.jobs.create and a region, while tables.get is free, needs only metadata access, and returns
 * descriptions, nested RECORD fields, view SQL and key constraints in one call.
 */
import type { BigQuery, TableMetadata } from '@google-cloud/bigquery';
import type { OmTableType, TableConstraintInfo } from '../common/requests.js';
import type { CatalogEngine, ColumnFqn, SchemaRef, TableDetail, TableRef } from '../sql-common/engine.js';
import type { BigqueryConnection } from '../../config/connections/bigquery.js';
import { bigquerySourceError, bigqueryStatus } from './errors.js';
import { bigqueryColumn, type BigqueryField } from './types.js';

/** Items per datasets.list / tables.list page (the API's maximum is 1,000 for tables). */
const PAGE_SIZE = 1000;

const TABLE_TYPES: Readonly<Record<string, OmTableType>> = {
  TABLE: 'Regular',
  SNAPSHOT: 'Regular',
  CLONE: 'Regular',
  VIEW: 'View',
  MATERIALIZED_VIEW: 'MaterializedView',
  EXTERNAL: 'External',
};

export class BigqueryEngine implements CatalogEngine {
  constructor(
    private readonly connection: BigqueryConnection,
    private readonly client: BigQuery,
    /** Projects from the credentials; undefined: the client's (key file's) project. */
    private readonly projects: readonly string[] | undefined,
    private readonly concurrency: number,
  ) {}

  async testConnection(): Promise<void> {
    const [project] = await this.listDatabases();
    await this.call(() => this.client.getDatasets({ projectId: project, maxResults: 1, autoPaginate: false }));
  }

  async listDatabases(): Promise<readonly string[]> {
    if (this.projects) return this.projects;
    return [await this.call(() => this.client.getProjectId())];
  }

  async listSchemas(project: string): Promise<readonly SchemaRef[]> {
    const datasets = await this.pages((pageToken) =>
      this.client.getDatasets({ projectId: project, maxResults: PAGE_SIZE, autoPaginate: false, pageToken }),
    );
    return datasets.map((d) => ({ stored: d.id! }));
  }

  async listTables(project: string, schemas: readonly SchemaRef[]): Promise<readonly TableRef[]> {
    const out: TableRef[] = [];
    for (const schema of schemas) {
      const dataset = this.client.dataset(schema.stored, { projectId: project });
      const tables = await this.pages((pageToken) =>
        dataset.getTables({ maxResults: PAGE_SIZE, autoPaginate: false, pageToken }),
      );
      for (const table of tables) {
        out.push({
          schema: schema.stored,
          stored: table.id!,
          tableType: TABLE_TYPES[String((table.metadata as TableMetadata).type)] ?? 'Regular',
        });
      }
    }
    return out;
  }

  async describeTables(
    project: string,
    dataset: string,
    tables: readonly TableRef[],
    referredColumn: ColumnFqn,
  ): Promise<ReadonlyMap<string, TableDetail | Error>> {
    const out = new Map<string, TableDetail | Error>();
    const queue = [...tables];
    const worker = async () => {
      for (let table = queue.shift(); table; table = queue.shift()) {
        const detail = await this.describe(project, dataset, table.stored, referredColumn);
        if (detail) out.set(table.stored, detail);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.concurrency, tables.length)) }, worker));
    return out;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** tables.get; undefined when the table is gone (404), so it becomes a failed outcome. */
  private async describe(
    project: string,
    dataset: string,
    tableId: string,
    referredColumn: ColumnFqn,
  ): Promise<TableDetail | undefined> {
    let metadata: TableMetadata;
    try {
      [metadata] = (await this.client.dataset(dataset, { projectId: project }).table(tableId).getMetadata()) as [
        TableMetadata,
        unknown,
      ];
    } catch (error) {
      if (bigqueryStatus(error) === 404) return undefined;
      throw bigquerySourceError(error, this.connection);
    }
    const fields = (metadata.schema?.fields ?? []) as BigqueryField[];
    return {
      description: metadata.description || undefined,
      columns: fields.map((f, i) => bigqueryColumn(f, i + 1)),
      constraints: keyConstraints(metadata, referredColumn),
      viewDefinition: metadata.view?.query ?? metadata.materializedView?.query ?? undefined,
    };
  }

  /**
   * Every item of a paged list call, page by page (the client's autoPaginate stops at `maxResults`
   * items, so pages are followed here through nextPageToken).
   */
  private async pages<T>(
    fetch: (pageToken: string | undefined) => Promise<[T[], ({ pageToken?: string } | null)?, unknown?]>,
  ): Promise<T[]> {
    const items: T[] = [];
    let pageToken: string | undefined;
    do {
      const [page, next] = await this.call(() => fetch(pageToken));
      items.push(...page);
      pageToken = next?.pageToken;
    } while (pageToken);
    return items;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw bigquerySourceError(error, this.connection);
    }
  }
}

/** tables.get tableConstraints: primaryKey.columns and foreignKeys[].columnReferences. */
function keyConstraints(metadata: TableMetadata, referredColumn: ColumnFqn): TableConstraintInfo[] {
  const constraints = metadata.tableConstraints;
  const out: TableConstraintInfo[] = [];
  if (constraints?.primaryKey?.columns?.length) {
    out.push({ constraintType: 'PRIMARY_KEY', columns: [...constraints.primaryKey.columns] });
  }
  for (const fk of constraints?.foreignKeys ?? []) {
    const refs = fk.columnReferences ?? [];
    const table = fk.referencedTable;
    if (!table?.projectId || !table.datasetId || !table.tableId || refs.length === 0) continue;
    out.push({
      constraintType: 'FOREIGN_KEY',
      columns: refs.map((r) => r.referencingColumn!),
      referredColumns: refs.map((r) =>
        referredColumn(table.projectId!, table.datasetId!, table.tableId!, r.referencedColumn!),
      ),
    });
  }
  return out;
}
