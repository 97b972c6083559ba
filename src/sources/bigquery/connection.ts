import { z } from 'zod';
import { omObject } from '../../config/om-object.js';
import { COMMON_IGNORED } from '../connection-common.js';

/** serviceConnection.config for `type: bigquery` (OpenMetadata bigQueryConnection.json). */
export const bigqueryConnectionSchema = omObject(
  {
    type: z.literal('BigQuery').default('BigQuery'),
    /** API endpoint host. @default "bigquery.googleapis.com" */
    hostPort: z.string().default('bigquery.googleapis.com'),
    /** `{gcpConfig: {...service account fields...}}`; secret fields as `${VAR}`. */
    credentials: z.object({ gcpConfig: z.record(z.string(), z.unknown()) }).loose(),
    /** Projects to ingest; defaults to the credentials' project. */
    projectIds: z.array(z.string()).optional(),
  },
  { ignored: [...COMMON_IGNORED, 'taxonomyProjectID', 'taxonomyLocation', 'usageLocation', 'billingProjectId'] },
);

export type BigqueryConnection = z.output<typeof bigqueryConnectionSchema>;
