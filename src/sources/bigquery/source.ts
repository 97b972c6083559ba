/** The BigQuery connector: the real @google-cloud/bigquery client, catalogue logic in engine.ts. */
import { BigQuery, type BigQueryOptions } from '@google-cloud/bigquery';
import { wrongSource, type SourceConfig } from '../../config/schema.js';
import type { SourceOptions, SourceFactory } from '../contract.js';
import type { UpsertRequest } from '../../model/entities.js';
import { CatalogSource } from '../sql-common/catalog-source.js';
import { databaseMetadata } from '../sql-common/config.js';
import { gcpConfigOf, type BigqueryConnection } from '../../config/connections/bigquery.js';
import { BigqueryEngine } from './engine.js';
import { bigqueryClientOptions, bigqueryProjects } from './options.js';

/**
 * Builds the source. `clientOptions` are merged over the options built from the config (tests pass an
 * `authClient` holding a token, so no OAuth round trip is needed).
 */
export function createBigquerySource(
  source: SourceConfig,
  options: SourceOptions,
  clientOptions: Partial<BigQueryOptions> = {},
): CatalogSource {
  if (source.type !== 'bigquery') throw wrongSource('bigquery', source);
  const connection = source.serviceConnection.config;
  const client = new BigQuery({ ...bigqueryClientOptions(connection), ...clientOptions });
  const engine = new BigqueryEngine(connection, client, bigqueryProjects(connection), Math.max(1, options.concurrency));
  return new CatalogSource({
    type: 'bigquery',
    serviceType: 'BigQuery',
    serviceName: source.serviceName,
    connection: { type: connection.type, hostPort: connection.hostPort },
    metadata: databaseMetadata(source),
    engine,
    options,
    decorateService: (request) => withPublicCredentials(request, connection),
  });
}

/**
 * OpenMetadata requires `credentials` on a BigQuery service; the service request carries only its
 * non-secret fields (type, projectId, clientEmail, clientId) under the key the config used.
 */
function withPublicCredentials(request: UpsertRequest, connection: BigqueryConnection): UpsertRequest {
  const gcp = gcpConfigOf(connection);
  const key = connection.credentials.gcpConfig !== undefined ? 'gcpConfig' : 'gcsConfig';
  const values =
    typeof gcp === 'string'
      ? {}
      : Object.fromEntries(
          Object.entries({
            type: gcp.type,
            projectId: gcp.projectId,
            clientEmail: gcp.clientEmail,
            clientId: gcp.clientId,
          }).filter(([, v]) => v !== undefined),
        );
  const body = request.body as { connection: { config: Record<string, unknown> } };
  return {
    ...request,
    body: { ...body, connection: { config: { ...body.connection.config, credentials: { [key]: values } } } },
  };
}

export const createSource: SourceFactory = (source, options) => createBigquerySource(source, options);
