/**
 * snowflake-sdk ConnectionOptions from OpenMetadata's snowflakeConnection. Key-pair authentication
 * (privateKey, snowflakePrivatekeyPassphrase) selects the SNOWFLAKE_JWT authenticator; otherwise the
 * default SNOWFLAKE (user/password) authenticator is used.
 */
import type { ConnectionOptions } from 'snowflake-sdk';
import type { SnowflakeConnection } from '../../config/connections/snowflake.js';

/** The application name Snowflake records in QUERY_HISTORY / LOGIN_HISTORY. */
export const SNOWFLAKE_APPLICATION = 'argo-ingest';

export function snowflakeConnectionOptions(config: SnowflakeConnection): ConnectionOptions {
  const options: ConnectionOptions = {
    account: config.account,
    username: config.username,
    warehouse: config.warehouse,
    application: SNOWFLAKE_APPLICATION,
    // Catalogue queries only; keep the session alive across long shards.
    clientSessionKeepAlive: true,
  };
  if (config.role) options.role = config.role;
  if (config.database) options.database = config.database;
  if (config.queryTag) options.queryTag = config.queryTag;
  if (config.privateKey !== undefined) {
    options.authenticator = 'SNOWFLAKE_JWT';
    options.privateKey = pemFromEnv(config.privateKey);
    if (config.snowflakePrivatekeyPassphrase) options.privateKeyPass = config.snowflakePrivatekeyPassphrase;
  } else {
    options.authenticator = 'SNOWFLAKE';
    options.password = config.password;
  }
  return options;
}

/**
 * A PEM key as it arrives from an environment variable: literal `\n` sequences (how keys are often
 * stored in one-line secrets) become newlines; a key already multi-line is left alone.
 */
export function pemFromEnv(value: string): string {
  return value.includes('\n') ? value : value.replace(/\\n/g, '\n');
}
