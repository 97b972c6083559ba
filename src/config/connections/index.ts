/**
 * The connection side of the connector registry: per `source.type`, OpenMetadata's service type, the
 * kind of metadata it ingests and the zod schema of its `serviceConnection.config`. The config schema
 * is assembled from it (config/schema.ts); sources/registry.ts adds each connector's `create`.
 */
import type { z } from 'zod';
import { bigqueryConnectionSchema } from './bigquery.js';
import { lookerConnectionSchema } from './looker.js';
import { metabaseConnectionSchema } from './metabase.js';
import { mssqlConnectionSchema } from './mssql.js';
import { mysqlConnectionSchema } from './mysql.js';
import { oracleConnectionSchema } from './oracle.js';
import { postgresConnectionSchema } from './postgres.js';
import { powerbiConnectionSchema } from './powerbi.js';
import { redshiftConnectionSchema } from './redshift.js';
import { snowflakeConnectionSchema } from './snowflake.js';
import { supersetConnectionSchema } from './superset.js';
import { tableauConnectionSchema } from './tableau.js';

export interface ConnectionEntry<S extends z.ZodType = z.ZodType> {
  /** OpenMetadata's serviceType (and `serviceConnection.config.type`). */
  readonly serviceType: string;
  readonly kind: 'database' | 'dashboard';
  /** `serviceConnection.config`. */
  readonly connectionSchema: S;
}

const database = <S extends z.ZodType>(serviceType: string, connectionSchema: S) =>
  ({ serviceType, kind: 'database', connectionSchema }) as const satisfies ConnectionEntry<S>;
const dashboard = <S extends z.ZodType>(serviceType: string, connectionSchema: S) =>
  ({ serviceType, kind: 'dashboard', connectionSchema }) as const satisfies ConnectionEntry<S>;

/** By `source.type`, in the order `validate` and the docs list them. */
export const CONNECTIONS = {
  postgres: database('Postgres', postgresConnectionSchema),
  mysql: database('Mysql', mysqlConnectionSchema),
  redshift: database('Redshift', redshiftConnectionSchema),
  snowflake: database('Snowflake', snowflakeConnectionSchema),
  bigquery: database('BigQuery', bigqueryConnectionSchema),
  mssql: database('Mssql', mssqlConnectionSchema),
  oracle: database('Oracle', oracleConnectionSchema),
  looker: dashboard('Looker', lookerConnectionSchema),
  powerbi: dashboard('PowerBI', powerbiConnectionSchema),
  tableau: dashboard('Tableau', tableauConnectionSchema),
  metabase: dashboard('Metabase', metabaseConnectionSchema),
  superset: dashboard('Superset', supersetConnectionSchema),
} as const;

/** A `source.type` argo-ingest has a connector for. */
export type SourceType = keyof typeof CONNECTIONS;

/** The parsed `serviceConnection.config` of each source type. */
export type ConnectionMap = { [K in SourceType]: z.output<(typeof CONNECTIONS)[K]['connectionSchema']> };
export type ConnectionOf<K extends SourceType> = ConnectionMap[K];

/** Each schema, typed by its output, so a generic `K` keeps the link between type and connection. */
const SCHEMAS: { readonly [K in SourceType]: z.ZodType<ConnectionMap[K]> } = {
  postgres: CONNECTIONS.postgres.connectionSchema,
  mysql: CONNECTIONS.mysql.connectionSchema,
  redshift: CONNECTIONS.redshift.connectionSchema,
  snowflake: CONNECTIONS.snowflake.connectionSchema,
  bigquery: CONNECTIONS.bigquery.connectionSchema,
  mssql: CONNECTIONS.mssql.connectionSchema,
  oracle: CONNECTIONS.oracle.connectionSchema,
  looker: CONNECTIONS.looker.connectionSchema,
  powerbi: CONNECTIONS.powerbi.connectionSchema,
  tableau: CONNECTIONS.tableau.connectionSchema,
  metabase: CONNECTIONS.metabase.connectionSchema,
  superset: CONNECTIONS.superset.connectionSchema,
};

export function isSourceType(type: string): type is SourceType {
  return Object.hasOwn(CONNECTIONS, type);
}

export const SOURCE_TYPES: readonly SourceType[] = Object.keys(CONNECTIONS).filter(isSourceType);

export function connectionSchemaOf<K extends SourceType>(type: K): z.ZodType<ConnectionOf<K>> {
  return SCHEMAS[type];
}
