import { z } from 'zod';
import { basicAuthFields, omConnection, hostPort, onePasswordForm, secret } from './common.js';

/** serviceConnection.config for `type: mysql` (OpenMetadata mysqlConnection.json). */
export const mysqlConnectionSchema = omConnection('mysql', {
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
}).superRefine(onePasswordForm);

export type MysqlConnection = z.output<typeof mysqlConnectionSchema>;
