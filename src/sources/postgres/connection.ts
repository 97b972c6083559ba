import { z } from 'zod';
import { omObject } from '../../config/om-object.js';
import { COMMON_IGNORED, onePasswordForm } from '../connection-common.js';
import { pgConnectionFields } from '../sql-common/pg-connection.js';

/** serviceConnection.config for `type: postgres` (OpenMetadata postgresConnection.json). */
export const postgresConnectionSchema = omObject(
  {
    type: z.literal('Postgres').default('Postgres'),
    ...pgConnectionFields,
  },
  {
    ignored: [
      ...COMMON_IGNORED,
      'sslConfig',
      'schemaFilterPattern',
      'tableFilterPattern',
      'databaseFilterPattern',
      'storedProcedureFilterPattern',
    ],
  },
).superRefine(onePasswordForm);

export type PostgresConnection = z.output<typeof postgresConnectionSchema>;
