import { z } from 'zod';
import { omConnection, onePasswordForm } from '../connection-common.js';
import { pgConnectionFields } from '../sql-common/pg-connection.js';

/** serviceConnection.config for `type: redshift` (OpenMetadata redshiftConnection.json). */
export const redshiftConnectionSchema = omConnection('redshift', {
  type: z.literal('Redshift').default('Redshift'),
  ...pgConnectionFields,
}).superRefine(onePasswordForm);

export type RedshiftConnection = z.output<typeof redshiftConnectionSchema>;
