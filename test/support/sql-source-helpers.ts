/**
 * Test helpers shared by the SQL connector tests (Snowflake, BigQuery, SQL Server, Oracle, MySQL,
 * Redshift): configs parsed like a user's file, a connector over a recorded client, and the checks every
 * connector's tests make (discovered FQNs, schema-valid requests, valid data types, one-sentence
 * connection errors without secrets).
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { stringify } from 'yaml';
import { parseConfigText, resolveConfig } from '../../src/config/load.js';
import type { IngestionConfig } from '../../src/config/schema.js';
import { silentLogger } from '../../src/util/logger.js';
import {
  SourceError,
  type EntityDescriptor,
  type EntityOutcome,
  type SourceOptions,
  type UpsertRequest,
} from '../../src/sources/contract.js';
import type { CatalogSource } from '../../src/sources/sql-common/catalog-source.js';
import { validateEverywhere } from './om-schemas.js';

export const sourceOptions: SourceOptions = { logger: silentLogger, concurrency: 4 };

/**
 * A full ingestion config for a database source, parsed and validated like a user's file (secrets as
 * `${VAR}`), then resolved with `env`.
 */
export function databaseConfig(
  type: string,
  connection: Record<string, unknown>,
  sourceConfig: Record<string, unknown> = {},
  env: Record<string, string> = {},
): IngestionConfig {
  const text = stringify({
    source: {
      type,
      serviceName: `${type}_test`,
      serviceConnection: { config: connection },
      sourceConfig: { config: { type: 'DatabaseMetadata', ...sourceConfig } },
    },
    sink: { type: 'file', config: { filename: '/tmp/unused.jsonl' } },
    workflowConfig: {
      openMetadataServerConfig: { hostPort: 'http://127.0.0.1:1/api', securityConfig: { jwtToken: '${OM_JWT}' } },
    },
  });
  return resolveConfig(parseConfigText(text, `${type}-test.yaml`), { OM_JWT: 'jwt', ...env });
}

/** The parsed serviceConnection.config of `databaseConfig(type, connection, {}, env)`, as the connector reads it. */
export function parsedConnection<T>(
  type: string,
  connection: Record<string, unknown>,
  env: Record<string, string> = {},
): T {
  return databaseConfig(type, connection, {}, env).source.serviceConnection.config as T;
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/**
 * Every request body validated as the sink sends it to OpenMetadata 1.0.4 and 1.13 (each in its
 * dialect, against its Create* schemas).
 */
export function schemaErrors(requests: readonly UpsertRequest[]): string[] {
  return requests.flatMap((r) => validateEverywhere(r).map((e) => `${r.fqn}: ${e}`));
}

export function okRequests(outcomes: readonly EntityOutcome[]): UpsertRequest[] {
  return outcomes.flatMap((o) => (o.ok ? o.requests : []));
}

/** The table body of an outcome, for assertions on columns and constraints. */
export interface TableBody {
  name: string;
  tableType: string;
  description?: string;
  schemaDefinition?: string;
  columns: {
    name: string;
    dataType: string;
    dataTypeDisplay: string;
    dataLength?: number;
    precision?: number;
    scale?: number;
    arrayDataType?: string;
    constraint?: string;
    description?: string;
    children?: TableBody['columns'];
  }[];
  tableConstraints?: { constraintType: string; columns: string[]; referredColumns?: string[] }[];
}

export function tableBody(outcomes: readonly EntityOutcome[], fqn: string): TableBody {
  const outcome = outcomes.find((o) => o.fqn === fqn);
  if (!outcome) throw new Error(`no outcome for ${fqn}; have ${outcomes.map((o) => o.fqn).join(', ')}`);
  if (!outcome.ok) throw new Error(`${fqn} failed: ${outcome.error}`);
  return outcome.requests[0]!.body as unknown as TableBody;
}

/** The 1.0.4 dataType enum, read from the vendored table schema (never a copy). */
export function omDataTypes(): Set<string> {
  const table = JSON.parse(
    readFileSync(new URL('../../schemas/openmetadata-1.0.4/entity/data/table.json', import.meta.url), 'utf8'),
  ) as { definitions: { dataType: { enum: string[] } } };
  return new Set(table.definitions.dataType.enum);
}

export const fqnsOf = (items: readonly { readonly fqn: string }[]): string[] => items.map((e) => e.fqn);

/** The FQNs `source` discovers, in its order. */
export async function discoveredFqns(source: { discover(): AsyncIterable<EntityDescriptor> }): Promise<string[]> {
  return fqnsOf(await collect(source.discover()));
}

/** Asserts that every outcome succeeded and every request validates against the 1.0.4 Create* schemas. */
export function expectValidOutcomes(outcomes: readonly EntityOutcome[]): void {
  expect(outcomes.every((o) => o.ok)).toBe(true);
  expect(schemaErrors(okRequests(outcomes))).toEqual([]);
}

/** Asserts that every column has a dataType of the 1.0.4 enum other than UNKNOWN. */
export function expectKnownDataTypes(columns: readonly TableBody['columns'][number][]): void {
  const valid = omDataTypes();
  for (const column of columns) {
    expect(valid.has(column.dataType), `${column.name}: ${column.dataType}`).toBe(true);
    expect(column.dataType, column.name).not.toBe('UNKNOWN');
  }
}

export function columnsByName(body: TableBody): Record<string, TableBody['columns'][number]> {
  return Object.fromEntries(body.columns.map((c) => [c.name, c]));
}

/**
 * The SourceError `attempt` (a testConnection(), a discovery) fails with, after asserting that it is
 * one, that its message is one line and that it contains none of `secrets`.
 */
export async function connectionFailure(attempt: Promise<unknown>, secrets: readonly string[]): Promise<SourceError> {
  const error: unknown = await attempt.then(() => undefined).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SourceError);
  const e = error as SourceError;
  for (const secret of secrets) expect(e.message).not.toContain(secret);
  expect(e.message.split('\n')).toHaveLength(1);
  return e;
}

export interface RecordedConnectorSpec<C> {
  /** source.type, also the service name's prefix (`<type>_test`). */
  readonly type: string;
  /** serviceConnection.config, secrets as `${VAR}`. */
  readonly connection: Record<string, unknown>;
  /** The values of the secret variables. */
  readonly env: Record<string, string>;
  /** A fresh recorded client (the stand-in for the database). */
  readonly recorded: () => C;
  /** The connector's factory, taking the client seam as its third argument. */
  readonly create: (config: IngestionConfig, options: SourceOptions, connect: () => Promise<C>) => CatalogSource;
}

/** A connector whose queries a recorded client answers, and one whose connection fails. */
export function recordedConnector<C>(spec: RecordedConnectorSpec<C>) {
  const config = (overrides: Record<string, unknown>, sourceConfig: Record<string, unknown>) =>
    databaseConfig(spec.type, { ...spec.connection, ...overrides }, sourceConfig, spec.env);
  return {
    /** The connector over `client`, with `overrides` on the connection and `sourceConfig`. */
    source(
      overrides: Record<string, unknown> = {},
      sourceConfig: Record<string, unknown> = {},
      client: C = spec.recorded(),
    ): { client: C; source: CatalogSource } {
      return { client, source: spec.create(config(overrides, sourceConfig), sourceOptions, async () => client) };
    },
    /** The connector whose connect() throws `error` (a driver's error, to test its translation). */
    failing(error: unknown, overrides: Record<string, unknown> = {}): CatalogSource {
      return spec.create(config(overrides, {}), sourceOptions, async () => {
        throw error;
      });
    },
  };
}

/** The rows of a recorded result set, test/fixtures/<connector>/<name>.json (`{ rows: [...] }`). */
export function fixtureRows(connector: string, name: string): Record<string, unknown>[] {
  const file = new URL(`../fixtures/${connector}/${name}.json`, import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { rows: Record<string, unknown>[] }).rows;
}
