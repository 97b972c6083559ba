import { z } from 'zod';
import { omObject } from '../../config/om-object.js';
import { COMMON_IGNORED, secret } from '../connection-common.js';

/** serviceConnection.config for `type: snowflake` (OpenMetadata snowflakeConnection.json). */
export const snowflakeConnectionSchema = omObject(
  {
    type: z.literal('Snowflake').default('Snowflake'),
    username: z.string().min(1),
    password: secret.optional(),
    account: z.string().min(1),
    role: z.string().optional(),
    database: z.string().optional(),
    warehouse: z.string().min(1),
    queryTag: z.string().optional(),
    privateKey: secret.optional(),
    snowflakePrivatekeyPassphrase: secret.optional(),
    includeTempTables: z.boolean().default(false),
  },
  {
    ignored: [
      ...COMMON_IGNORED,
      'includeTransientTables',
      'clientSessionKeepAlive',
      'accountUsageSchema',
      'creditCost',
    ],
  },
);

export type SnowflakeConnection = z.output<typeof snowflakeConnectionSchema>;
