import { z } from 'zod';
import { omObject } from '../../config/om-object.js';
import { COMMON_IGNORED, basicAuthFields, hostPort, onePasswordForm, secret } from '../connection-common.js';

/** serviceConnection.config for `type: mysql` (OpenMetadata mysqlConnection.json). */
export const mysqlConnectionSchema = omObject(
  {
    type: z.literal('Mysql').default('Mysql'),
    ...basicAuthFields,
    hostPort,
    /** Restrict to one database (MySQL calls them schemas). */
    databaseSchema: z.string().optional(),
    /** Name of the OpenMetadata database entity that holds the schemas. @default "default" */
    databaseName: z.string().optional(),
    sslCA: z.string().optional(),
    sslCert: z.string().optional(),
    sslKey: secret.optional(),
  },
  { ignored: [...COMMON_IGNORED, 'sslConfig'] },
).superRefine(onePasswordForm);

export type MysqlConnection = z.output<typeof mysqlConnectionSchema>;
