import { z } from 'zod';
import { omConnection, onePasswordForm } from './common.js';
import { pgConnectionFields } from './pg-common.js';

/** serviceConnection.config for `type: redshift` (OpenMetadata redshiftConnection.json). */
export const redshiftConnectionSchema = omConnection('redshift', {
  type: z.literal('Redshift').default('Redshift'),
  ...pgConnectionFields,
}).superRefine(onePasswordForm);

export type RedshiftConnection = z.output<typeof redshiftConnectionSchema>;
