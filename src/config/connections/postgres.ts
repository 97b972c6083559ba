import { z } from 'zod';
import { omConnection, onePasswordForm } from './common.js';
import { pgConnectionFields } from './pg-common.js';

/** serviceConnection.config for `type: postgres` (OpenMetadata postgresConnection.json). */
export const postgresConnectionSchema = omConnection('postgres', {
  type: z.literal('Postgres').default('Postgres'),
  ...pgConnectionFields,
}).superRefine(onePasswordForm);

export type PostgresConnection = z.output<typeof postgresConnectionSchema>;
