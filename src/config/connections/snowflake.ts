import { z } from 'zod';
import { omConnection, secret } from './common.js';

/** serviceConnection.config for `type: snowflake` (OpenMetadata 1.0.4 snowflakeConnection.json). */
export const snowflakeConnectionSchema = omConnection('snowflake', {
  type: z.literal('Snowflake').default('Snowflake'),
  username: z.string().min(1),
  /** Password authentication; or key-pair authentication with `privateKey`. */
  password: secret.optional(),
  /** Account identifier: `xyz1234.us-east-1.gcp` for https://xyz1234.us-east-1.gcp.snowflakecomputing.com. */
  account: z.string().min(1),
  role: z.string().optional(),
  /** Restricts ingestion to one database. @default every database the role can see */
  database: z.string().optional(),
  warehouse: z.string().min(1),
  queryTag: z.string().optional(),
  /** PEM private key for key-pair authentication (authenticator SNOWFLAKE_JWT). */
  privateKey: secret.optional(),
  snowflakePrivatekeyPassphrase: secret.optional(),
  /** Also ingest TRANSIENT and TEMPORARY tables. @default false */
  includeTempTables: z.boolean().default(false),
}).superRefine((config, ctx) => {
  if (config.password === undefined && config.privateKey === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['password'],
      message: 'set "password" or, for key-pair authentication, "privateKey" (both as ${VAR})',
    });
  }
  if (config.snowflakePrivatekeyPassphrase !== undefined && config.privateKey === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['snowflakePrivatekeyPassphrase'],
      message: 'is only used with "privateKey"; set privateKey or remove the passphrase',
    });
  }
});

export type SnowflakeConnection = z.output<typeof snowflakeConnectionSchema>;
