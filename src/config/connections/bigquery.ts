import { z } from 'zod';
import { omObject, typeOf, unsupportedForm } from '../om-object.js';
import { omConnection } from './common.js';

/** OpenMetadata gcsValues.json / gcpValues.json: a service account key, field by field. */
const gcpValues = omObject({
  type: z.string().optional(),
  /** One project or a list of projects to ingest. */
  projectId: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  privateKeyId: z.string().optional(),
  privateKey: z.string().optional(),
  clientEmail: z.string().optional(),
  clientId: z.string().optional(),
  authUri: z.string().optional(),
  tokenUri: z.string().optional(),
  authProviderX509CertUrl: z.string().optional(),
  clientX509CertUrl: z.string().optional(),
});

const KEY_FORM =
  'use a service account key: its values (type: service_account, clientEmail, privateKey: ${VAR}, ...) ' +
  'or the path of its JSON file as a string';

/**
 * Service account values, or the path of a key file (GCSCredentialsPath). OpenMetadata's other forms
 * (gcp_credential_path objects, external_account, gcp_adc) are refused with the supported form.
 */
const gcpConfig = unsupportedForm(z.union([z.string().min(1), gcpValues]), (value) => {
  const type = typeOf(value);
  if (type === undefined || type === 'service_account') return undefined;
  return { path: ['type'], message: `credentials of type "${type}" are not supported; ${KEY_FORM}` };
});

/**
 * `credentials.gcsConfig` (OpenMetadata 1.0.x) or `credentials.gcpConfig` (later releases): the same
 * service-account description under two names.
 */
const credentials = omObject(
  { gcsConfig: gcpConfig.optional(), gcpConfig: gcpConfig.optional() },
  {
    refused: {
      gcpImpersonateServiceAccount:
        "service account impersonation is not supported; grant the BigQuery roles to the key's own service account",
    },
  },
).superRefine((c, ctx) => {
  if ((c.gcsConfig === undefined) === (c.gcpConfig === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['gcsConfig'],
      message: 'set exactly one of "gcsConfig" (OpenMetadata 1.0) or "gcpConfig" (later releases)',
    });
  }
});

/** serviceConnection.config for `type: bigquery` (OpenMetadata bigQueryConnection.json). */
export const bigqueryConnectionSchema = omConnection('bigquery', {
  type: z.literal('BigQuery').default('BigQuery'),
  /** API endpoint host (or URL). @default "bigquery.googleapis.com" */
  hostPort: z.string().min(1).default('bigquery.googleapis.com'),
  credentials,
});

export type BigqueryConnection = z.output<typeof bigqueryConnectionSchema>;
export type GcpConfig = z.output<typeof gcpConfig>;

/** The service account description, whichever key it came under. */
export function gcpConfigOf(connection: BigqueryConnection): GcpConfig {
  return (connection.credentials.gcpConfig ?? connection.credentials.gcsConfig)!;
}
