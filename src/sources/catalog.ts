/**
 * Every connector argo-ingest knows: its `source.type`, its OpenMetadata service type, the schema of its
 * `serviceConnection.config`, and a lazy loader for its driver code (so `validate` and `synth` never load
 * snowflake-sdk or oracledb).
 */
import type { z } from 'zod';
import type { IngestionConfig } from '../config/schema.js';
import { bigqueryConnectionSchema } from '../config/connections/bigquery.js';
import type { Source, SourceOptions } from './contract.js';
import { lookerConnectionSchema } from '../config/connections/looker.js';
import { metabaseConnectionSchema } from '../config/connections/metabase.js';
import { mssqlConnectionSchema } from '../config/connections/mssql.js';
import { mysqlConnectionSchema } from '../config/connections/mysql.js';
import { oracleConnectionSchema } from '../config/connections/oracle.js';
import { postgresConnectionSchema } from '../config/connections/postgres.js';
import { powerbiConnectionSchema } from '../config/connections/powerbi.js';
import { redshiftConnectionSchema } from '../config/connections/redshift.js';
import { snowflakeConnectionSchema } from '../config/connections/snowflake.js';
import { supersetConnectionSchema } from '../config/connections/superset.js';
import { tableauConnectionSchema } from '../config/connections/tableau.js';

/** Builds a connector's source from a config whose `${VAR}`s are already substituted. */
export type SourceFactory = (config: IngestionConfig, options: SourceOptions) => Source;

export interface ConnectorEntry {
  /** `source.type` in the config. */
  readonly sourceType: string;
  /** OpenMetadata's serviceType (and `serviceConnection.config.type`). */
  readonly serviceType: string;
  readonly kind: 'database' | 'dashboard';
  readonly connection: z.ZodType;
  /** Loads `./<type>/source.ts`, which exports `createSource`. */
  readonly load: () => Promise<{ readonly createSource: SourceFactory }>;
}

export const CONNECTORS: readonly ConnectorEntry[] = [
  {
    sourceType: 'postgres',
    serviceType: 'Postgres',
    kind: 'database',
    connection: postgresConnectionSchema,
    load: () => import('./postgres/source.js'),
  },
  {
    sourceType: 'mysql',
    serviceType: 'Mysql',
    kind: 'database',
    connection: mysqlConnectionSchema,
    load: () => import('./mysql/source.js'),
  },
  {
    sourceType: 'redshift',
    serviceType: 'Redshift',
    kind: 'database',
    connection: redshiftConnectionSchema,
    load: () => import('./redshift/source.js'),
  },
  {
    sourceType: 'snowflake',
    serviceType: 'Snowflake',
    kind: 'database',
    connection: snowflakeConnectionSchema,
    load: () => import('./snowflake/source.js'),
  },
  {
    sourceType: 'bigquery',
    serviceType: 'BigQuery',
    kind: 'database',
    connection: bigqueryConnectionSchema,
    load: () => import('./bigquery/source.js'),
  },
  {
    sourceType: 'mssql',
    serviceType: 'Mssql',
    kind: 'database',
    connection: mssqlConnectionSchema,
    load: () => import('./mssql/source.js'),
  },
  {
    sourceType: 'oracle',
    serviceType: 'Oracle',
    kind: 'database',
    connection: oracleConnectionSchema,
    load: () => import('./oracle/source.js'),
  },
  {
    sourceType: 'looker',
    serviceType: 'Looker',
    kind: 'dashboard',
    connection: lookerConnectionSchema,
    load: () => import('./looker/source.js'),
  },
  {
    sourceType: 'powerbi',
    serviceType: 'PowerBI',
    kind: 'dashboard',
    connection: powerbiConnectionSchema,
    load: () => import('./powerbi/source.js'),
  },
  {
    sourceType: 'tableau',
    serviceType: 'Tableau',
    kind: 'dashboard',
    connection: tableauConnectionSchema,
    load: () => import('./tableau/source.js'),
  },
  {
    sourceType: 'metabase',
    serviceType: 'Metabase',
    kind: 'dashboard',
    connection: metabaseConnectionSchema,
    load: () => import('./metabase/source.js'),
  },
  {
    sourceType: 'superset',
    serviceType: 'Superset',
    kind: 'dashboard',
    connection: supersetConnectionSchema,
    load: () => import('./superset/source.js'),
  },
];

export function findConnector(sourceType: string): ConnectorEntry | undefined {
  return CONNECTORS.find((c) => c.sourceType === sourceType.toLowerCase());
}

export async function createSource(config: IngestionConfig, options: SourceOptions): Promise<Source> {
  const entry = findConnector(config.source.type);
  if (!entry) throw new Error(`unknown source type "${config.source.type}"`);
  const { createSource: factory } = await entry.load();
  return factory(config, options);
}
