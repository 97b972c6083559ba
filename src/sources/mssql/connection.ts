import { z } from 'zod';
import { omObject } from '../../config/om-object.js';
import { COMMON_IGNORED, basicAuth, hostPort, onePasswordForm, secret } from '../connection-common.js';

/** serviceConnection.config for `type: mssql` (OpenMetadata mssqlConnection.json). */
export const mssqlConnectionSchema = omObject(
  {
    type: z.literal('Mssql').default('Mssql'),
    username: z.string().min(1),
    password: secret.optional(),
    authType: basicAuth.optional(),
    hostPort,
    database: z.string().min(1).default('master'),
    ingestAllDatabases: z.boolean().default(false),
  },
  { ignored: [...COMMON_IGNORED, 'driver'] },
).superRefine(onePasswordForm);

export type MssqlConnection = z.output<typeof mssqlConnectionSchema>;
