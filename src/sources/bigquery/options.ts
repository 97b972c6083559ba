/**
 * @google-cloud/bigquery client options from OpenMetadata's bigQueryConnection: the API endpoint from
 * hostPort, the project, and service-account credentials (values or a key file path).
 */
import type { BigQueryOptions } from '@google-cloud/bigquery';
import { pemFromEnv } from '../snowflake/options.js';
import { gcpConfigOf, type BigqueryConnection } from '../../config/connections/bigquery.js';

/** `bigquery.googleapis.com` -> `https://bigquery.googleapis.com`; a URL is kept (local endpoints in tests). */
export function bigqueryApiEndpoint(hostPort: string): string {
  const value = hostPort.trim().replace(/\/+$/, '');
  return /^https?:\/\//.test(value) ? value : `https://${value}`;
}

/** Projects to ingest: the credentials' projectId (one or a list); undefined means the key file's project. */
export function bigqueryProjects(connection: BigqueryConnection): string[] | undefined {
  const config = gcpConfigOf(connection);
  if (typeof config === 'string' || config.projectId === undefined) return undefined;
  return typeof config.projectId === 'string' ? [config.projectId] : [...config.projectId];
}

export function bigqueryClientOptions(connection: BigqueryConnection): BigQueryOptions {
  const config = gcpConfigOf(connection);
  const projects = bigqueryProjects(connection);
  const options: BigQueryOptions = {
    apiEndpoint: bigqueryApiEndpoint(connection.hostPort),
    userAgent: 'argo-ingest',
  };
  if (projects) options.projectId = projects[0];
  if (typeof config === 'string') {
    options.keyFilename = config;
  } else if (config.privateKey !== undefined || config.clientEmail !== undefined) {
    options.credentials = {
      type: config.type ?? 'service_account',
      client_email: config.clientEmail,
      private_key: config.privateKey === undefined ? undefined : pemFromEnv(config.privateKey),
      private_key_id: config.privateKeyId,
      client_id: config.clientId,
    };
  }
  return options;
}
