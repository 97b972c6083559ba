/** The Oracle connector: node-oracledb in thin mode under a query seam, catalogue logic in engine.ts. */
import type { OracleConnection } from '../../config/connections/oracle.js';
import { wrongSource, type SourceConfig } from '../../config/schema.js';
import type { SourceOptions, SourceFactory } from '../contract.js';
import { CatalogSource } from '../sql-common/catalog-source.js';
import { databaseMetadata } from '../sql-common/config.js';
import { connectOracle, type OracleClient } from './client.js';
import { OracleEngine } from './engine.js';
import { oracleConnectionAttributes } from './options.js';

/** Builds the source; `connect` replaces node-oracledb (tests pass recorded result sets). */
export function createOracleSource(
  source: SourceConfig,
  options: SourceOptions,
  connect?: () => Promise<OracleClient>,
): CatalogSource {
  if (source.type !== 'oracle') throw wrongSource('oracle', source);
  const connection = source.serviceConnection.config;
  const engine = new OracleEngine(connection, connect ?? (() => connectOracle(oracleConnectionAttributes(connection))));
  return new CatalogSource({
    type: 'oracle',
    serviceType: 'Oracle',
    serviceName: source.serviceName,
    connection: {
      type: connection.type,
      username: connection.username,
      hostPort: connection.hostPort,
      oracleConnectionType: serviceConnectionType(connection),
    },
    metadata: databaseMetadata(source),
    engine,
    options,
  });
}

export const createSource: SourceFactory = (source, options) => createOracleSource(source, options);

/**
 * OpenMetadata 1.0.4's oracleConnection knows only the service-name and SID forms: a TNS descriptor is
 * described by the SERVICE_NAME or SID it names (sent as is when it names neither; later servers accept it).
 */
function serviceConnectionType(connection: OracleConnection): OracleConnection['oracleConnectionType'] {
  const type = connection.oracleConnectionType;
  if (!('oracleTNSConnection' in type)) return type;
  const service = /SERVICE_NAME\s*=\s*([^)\s]+)/i.exec(type.oracleTNSConnection)?.[1];
  const sid = /\bSID\s*=\s*([^)\s]+)/i.exec(type.oracleTNSConnection)?.[1];
  if (service) return { oracleServiceName: service };
  if (sid) return { databaseSchema: sid };
  return type;
}
