import { z } from 'zod';
import { basicAuthFields, hostPort, omConnection, onePasswordForm } from './common.js';

/**
 * OpenMetadata's `connectionOptions` (a string map) carries the TLS settings of a SQL Server
 * connection; keys are matched case-insensitively (OpenMetadata users write `Encrypt`,
 * `TrustServerCertificate` for ODBC). Values: yes / no / true / false.
 */
const MSSQL_OPTION_KEYS = ['encrypt', 'trustServerCertificate'] as const;
const flag = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .refine((v) => ['yes', 'no', 'true', 'false'].includes(v), 'must be "yes", "no", "true" or "false"')
  .transform((v) => v === 'yes' || v === 'true');

const connectionOptions = z.record(z.string(), z.string()).transform((options, ctx) => {
  const out: { encrypt?: boolean; trustServerCertificate?: boolean } = {};
  for (const [key, value] of Object.entries(options)) {
    const known = MSSQL_OPTION_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
    if (!known) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `unknown SQL Server connection option; supported: ${MSSQL_OPTION_KEYS.join(', ')}`,
      });
      continue;
    }
    const parsed = flag.safeParse(value);
    if (!parsed.success) ctx.addIssue({ code: 'custom', path: [key], message: parsed.error.issues[0]!.message });
    else out[known] = parsed.data;
  }
  return out;
});

/** serviceConnection.config for `type: mssql` (OpenMetadata mssqlConnection.json). */
export const mssqlConnectionSchema = omConnection('mssql', {
  type: z.literal('Mssql').default('Mssql'),
  ...basicAuthFields,
  /** `host:port` (default port 1433) or `host\INSTANCE` (port found by the SQL Server Browser). */
  hostPort,
  /** The database to connect to and ingest. @default "master" */
  database: z.string().min(1).default('master'),
  /** Ingest every online user database of the server instead of `database` only. @default false */
  ingestAllDatabases: z.boolean().default(false),
  /** `{encrypt: yes|no, trustServerCertificate: yes|no}` (OpenMetadata 1.0). @default encrypt yes, trust no */
  connectionOptions: connectionOptions.optional(),
  /** OpenMetadata 1.13's form of connectionOptions.encrypt. @default true (OpenMetadata's is false) */
  encrypt: z.boolean().optional(),
  /** OpenMetadata 1.13's form of connectionOptions.trustServerCertificate. @default false */
  trustServerCertificate: z.boolean().optional(),
})
  .superRefine(onePasswordForm)
  .superRefine((config, ctx) => {
    for (const key of ['encrypt', 'trustServerCertificate'] as const) {
      if (config[key] !== undefined && config.connectionOptions?.[key] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `set either "${key}" (OpenMetadata 1.13) or "connectionOptions.${key}" (1.0), not both`,
        });
      }
    }
  });

export type MssqlConnection = z.output<typeof mssqlConnectionSchema>;

/** The TLS settings of a connection, from whichever form it uses: encrypt on and certificate verified by default. */
export function mssqlTls(connection: MssqlConnection): { encrypt: boolean; trustServerCertificate: boolean } {
  return {
    encrypt: connection.encrypt ?? connection.connectionOptions?.encrypt ?? true,
    trustServerCertificate:
      connection.trustServerCertificate ?? connection.connectionOptions?.trustServerCertificate ?? false,
  };
}
