/** @google-cloud/bigquery (ApiError, gaxios, google-auth) errors as one SourceError sentence. */
import { SourceError } from '../contract.js';
import { describeError, isNetworkError } from '../sql-common/redact.js';
import { gcpConfigOf, type BigqueryConnection } from '../../config/connections/bigquery.js';

export function bigqueryStatus(error: unknown): number | undefined {
  const e = error as { code?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const value of [e.code, e.status, e.response?.status]) if (typeof value === 'number') return value;
  return undefined;
}

export function bigquerySourceError(error: unknown, connection: BigqueryConnection): SourceError {
  if (error instanceof SourceError) return error;
  const config = gcpConfigOf(connection);
  const secrets = typeof config === 'string' ? [] : [config.privateKey, config.privateKeyId];
  const cause = describeError(error, secrets);
  const status = bigqueryStatus(error);
  const endpoint = connection.hostPort;
  if (
    status === 401 ||
    /invalid_grant|invalid_client|unauthorized_client|Could not load the default credentials/i.test(cause)
  ) {
    return new SourceError(
      `BigQuery at ${endpoint} rejected the credentials (${cause}); check credentials.gcsConfig (privateKey, clientEmail) or the key file.`,
      'auth',
    );
  }
  if (status === 403) {
    return new SourceError(
      `The service account may not read BigQuery metadata (${cause}); grant roles/bigquery.metadataViewer on the projects to ingest.`,
      'permission',
    );
  }
  if (isNetworkError(error) || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|socket hang up|fetch failed/i.test(cause)) {
    return new SourceError(
      `Cannot reach BigQuery at ${endpoint} (${cause}); check hostPort and network access.`,
      'unreachable',
    );
  }
  return new SourceError(`BigQuery: ${cause}`, 'other');
}
