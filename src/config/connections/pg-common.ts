import { z } from 'zod';
import { basicAuthFields, hostPort } from './common.js';

/**
 * The serviceConnection.config fields postgresConnection.json and redshiftConnection.json share (the
 * PostgreSQL wire protocol's login, database and libpq sslMode); add `.superRefine(onePasswordForm)`.
 */
export const pgConnectionFields = {
  ...basicAuthFields,
  hostPort,
  database: z.string().min(1),
  /** Ingest every database the user can connect to, not only `database`. @default false */
  ingestAllDatabases: z.boolean().default(false),
  sslMode: z.enum(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']).optional(),
};
