/**
 * A local BigQuery REST API (v2) on 127.0.0.1 for tests: enough of the documented resources for the
 * real @google-cloud/bigquery client to list and read metadata.
 * - GET /bigquery/v2/projects/{p}/datasets                  datasets.list (pageToken / maxResults)
 * - GET /bigquery/v2/projects/{p}/datasets/{d}/tables       tables.list (pageToken / maxResults)
 * - GET /bigquery/v2/projects/{p}/datasets/{d}/tables/{t}   tables.get (schema.fields with nested
 *   RECORD / REPEATED fields, descriptions, view.query, tableConstraints)
 * Shapes follow cloud.google.com/bigquery/docs/reference/rest/v2 (DatasetList, TableList, Table).
 * Requests need `Authorization: Bearer <token>`; errors use the documented error body
 * `{error: {code, message, errors: [{reason, message, domain}], status}}`. Every request is logged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeField {
  readonly name: string;
  readonly type: string;
  readonly mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  readonly description?: string;
  readonly fields?: readonly FakeField[];
  readonly maxLength?: string;
  readonly precision?: string;
  readonly scale?: string;
}

export interface FakeTable {
  readonly id: string;
  /** TABLE, VIEW, MATERIALIZED_VIEW, EXTERNAL, SNAPSHOT. @default TABLE */
  readonly type?: string;
  readonly description?: string;
  readonly fields: readonly FakeField[];
  readonly viewQuery?: string;
  readonly primaryKey?: readonly string[];
  readonly foreignKeys?: readonly {
    readonly name: string;
    readonly table: { readonly projectId: string; readonly datasetId: string; readonly tableId: string };
    readonly columns: readonly { readonly referencing: string; readonly referenced: string }[];
  }[];
}

export interface FakeDataset {
  readonly id: string;
  readonly description?: string;
  readonly tables: readonly FakeTable[];
}

export interface FakeProject {
  readonly id: string;
  readonly datasets: readonly FakeDataset[];
}

export interface BigQueryServerOptions {
  readonly projects: readonly FakeProject[];
  /** The bearer token the server accepts. @default "test-token" */
  readonly token?: string;
  /** Items per page of datasets.list / tables.list when the client asks for more. @default 2 */
  readonly pageSize?: number;
}

export interface RequestRecord {
  readonly method: string;
  /** Path without the query string, decoded. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
}

export interface BigQueryServer {
  readonly url: string;
  readonly requests: RequestRecord[];
  /** Replaces the estate (e.g. to drop a table after discovery). */
  projects: readonly FakeProject[];
  close(): Promise<void>;
}

export async function startBigQueryServer(options: BigQueryServerOptions): Promise<BigQueryServer> {
  const token = options.token ?? 'test-token';
  const pageSize = options.pageSize ?? 2;
  const state: BigQueryServer = {
    url: '',
    requests: [],
    projects: options.projects,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      send(res, 500, errorBody(500, (error as Error).message, 'internalError', 'INTERNAL'));
    }
  });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const query = Object.fromEntries(url.searchParams.entries());
    state.requests.push({ method: req.method ?? 'GET', path: '/' + segments.join('/'), query });
    if (req.headers.authorization !== `Bearer ${token}`) {
      send(
        res,
        401,
        errorBody(
          401,
          'Request had invalid authentication credentials. Expected OAuth 2 access token.',
          'authError',
          'UNAUTHENTICATED',
        ),
      );
      return;
    }
    if (req.method !== 'GET' || segments[0] !== 'bigquery' || segments[1] !== 'v2' || segments[2] !== 'projects') {
      send(res, 404, errorBody(404, `Not found: ${url.pathname}`, 'notFound', 'NOT_FOUND'));
      return;
    }
    const [, , , projectId, datasetsWord, datasetId, tablesWord, tableId, ...rest] = segments;
    const project = state.projects.find((p) => p.id === projectId);
    if (!project) {
      send(res, 404, errorBody(404, `Not found: Project ${projectId}`, 'notFound', 'NOT_FOUND'));
      return;
    }
    if (datasetsWord !== 'datasets' || rest.length > 0) {
      send(res, 404, errorBody(404, `Not found: ${url.pathname}`, 'notFound', 'NOT_FOUND'));
      return;
    }
    if (datasetId === undefined) {
      const page = paginate(project.datasets, query, pageSize);
      send(res, 200, {
        kind: 'bigquery#datasetList',
        etag: 'etag-datasets',
        ...(page.items.length > 0
          ? {
              datasets: page.items.map((d) => ({
                kind: 'bigquery#dataset',
                id: `${project.id}:${d.id}`,
                datasetReference: { datasetId: d.id, projectId: project.id },
                location: 'US',
                type: 'DEFAULT',
              })),
            }
          : {}),
        ...(page.next ? { nextPageToken: page.next } : {}),
      });
      return;
    }
    const dataset = project.datasets.find((d) => d.id === datasetId);
    if (!dataset) {
      send(res, 404, errorBody(404, `Not found: Dataset ${project.id}:${datasetId}`, 'notFound', 'NOT_FOUND'));
      return;
    }
    if (tablesWord !== 'tables') {
      send(res, 404, errorBody(404, `Not found: ${url.pathname}`, 'notFound', 'NOT_FOUND'));
      return;
    }
    if (tableId === undefined) {
      const page = paginate(dataset.tables, query, pageSize);
      send(res, 200, {
        kind: 'bigquery#tableList',
        etag: 'etag-tables',
        totalItems: dataset.tables.length,
        tables: page.items.map((t) => ({
          kind: 'bigquery#table',
          id: `${project.id}:${dataset.id}.${t.id}`,
          tableReference: { projectId: project.id, datasetId: dataset.id, tableId: t.id },
          type: t.type ?? 'TABLE',
          creationTime: '1709287200000',
        })),
        ...(page.next ? { nextPageToken: page.next } : {}),
      });
      return;
    }
    const table = dataset.tables.find((t) => t.id === tableId);
    if (!table) {
      send(
        res,
        404,
        errorBody(404, `Not found: Table ${project.id}:${dataset.id}.${tableId}`, 'notFound', 'NOT_FOUND'),
      );
      return;
    }
    send(res, 200, tableResource(project.id, dataset.id, table));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (state as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

function paginate<T>(items: readonly T[], query: Record<string, string>, pageSize: number) {
  const start = query.pageToken ? Number(Buffer.from(query.pageToken, 'base64url').toString()) : 0;
  const size = Math.min(Number(query.maxResults ?? pageSize), pageSize);
  const end = start + size;
  return {
    items: items.slice(start, end),
    next: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined,
  };
}

function tableResource(projectId: string, datasetId: string, table: FakeTable): Record<string, unknown> {
  const type = table.type ?? 'TABLE';
  const resource: Record<string, unknown> = {
    kind: 'bigquery#table',
    etag: `etag-${table.id}`,
    id: `${projectId}:${datasetId}.${table.id}`,
    selfLink: `https://bigquery.googleapis.com/bigquery/v2/projects/${projectId}/datasets/${datasetId}/tables/${table.id}`,
    tableReference: { projectId, datasetId, tableId: table.id },
    schema: { fields: table.fields },
    numBytes: '0',
    numRows: '0',
    creationTime: '1709287200000',
    lastModifiedTime: '1709287200000',
    type,
    location: 'US',
  };
  if (table.description !== undefined) resource.description = table.description;
  if (type === 'VIEW') resource.view = { query: table.viewQuery ?? '', useLegacySql: false };
  if (type === 'MATERIALIZED_VIEW') resource.materializedView = { query: table.viewQuery ?? '', enableRefresh: true };
  if (table.primaryKey || table.foreignKeys) {
    resource.tableConstraints = {
      ...(table.primaryKey ? { primaryKey: { columns: table.primaryKey } } : {}),
      ...(table.foreignKeys
        ? {
            foreignKeys: table.foreignKeys.map((fk) => ({
              name: fk.name,
              referencedTable: fk.table,
              columnReferences: fk.columns.map((c) => ({
                referencingColumn: c.referencing,
                referencedColumn: c.referenced,
              })),
            })),
          }
        : {}),
    };
  }
  return resource;
}

function errorBody(code: number, message: string, reason: string, status: string) {
  return { error: { code, message, errors: [{ message, domain: 'global', reason }], status } };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}
