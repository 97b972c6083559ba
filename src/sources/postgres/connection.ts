import { z } from 'zod';
import { omObject } from '../../config/om-object.js';
import { COMMON_IGNORED, basicAuth, hostPort, onePasswordForm, secret } from '../connection-common.js';

/** serviceConnection.config for `type: postgres` (OpenMetadata postgresConnection.json). */
export const postgresConnectionSchema = omObject(
  {
    type: z.literal('Postgres').default('Postgres'),
    username: z.string().min(1),
    password: secret.optional(),
    authType: basicAuth.optional(),
    hostPort,
    database: z.string().min(1),
    /** Ingest every database the user can connect to, not only `database`. @default false */
    ingestAllDatabases: z.boolean().default(false),
    sslMode: z.enum(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']).optional(),
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
