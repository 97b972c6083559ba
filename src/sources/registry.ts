/**
 * The connector registry: per `source.type`, the connection side from config/connections (service type,
 * kind, `serviceConnection.config` schema) and a lazy loader for the connector's code, so `validate` and
 * `synth` never load snowflake-sdk or oracledb.
 */
import { CONNECTIONS, SOURCE_TYPES, type ConnectionEntry, type SourceType } from '../config/connections/index.js';
import type { IngestionConfig, SourceConfig } from '../config/schema.js';
import type { Source, SourceContext, SourceFactory, SourceOptions } from './contract.js';

export type { SourceFactory } from './contract.js';

export interface ConnectorEntry extends ConnectionEntry {
  /** `source.type` in the config. */
  readonly sourceType: SourceType;
  /** Loads `./<type>/source.ts`, which exports `createSource`. */
  readonly load: () => Promise<{ readonly createSource: SourceFactory }>;
  /** Loads the connector and builds its source (without connecting) from a `source` of this type. */
  readonly create: (source: SourceConfig, context: SourceContext) => Promise<Source>;
}

const LOADERS: { readonly [K in SourceType]: ConnectorEntry['load'] } = {
  postgres: () => import('./postgres/source.js'),
  mysql: () => import('./mysql/source.js'),
  redshift: () => import('./redshift/source.js'),
  snowflake: () => import('./snowflake/source.js'),
  bigquery: () => import('./bigquery/source.js'),
  mssql: () => import('./mssql/source.js'),
  oracle: () => import('./oracle/source.js'),
  looker: () => import('./looker/source.js'),
  powerbi: () => import('./powerbi/source.js'),
  tableau: () => import('./tableau/source.js'),
  metabase: () => import('./metabase/source.js'),
  superset: () => import('./superset/source.js'),
};

export const CONNECTORS: readonly ConnectorEntry[] = SOURCE_TYPES.map((sourceType) => {
  const load = LOADERS[sourceType];
  return {
    sourceType,
    ...CONNECTIONS[sourceType],
    load,
    create: async (source, context) => (await load()).createSource(source, context),
  };
});

export function findConnector(sourceType: string): ConnectorEntry | undefined {
  return CONNECTORS.find((c) => c.sourceType === sourceType.toLowerCase());
}

/** The source of a config: its connector gets the `source` section and the runtime options only. */
export async function createSource(config: IngestionConfig, options: SourceOptions): Promise<Source> {
  const { createSource: factory } = await LOADERS[config.source.type]();
  return factory(config.source, { ...options, retryPolicy: config.workflowConfig.distributedExecution.retryPolicy });
}
