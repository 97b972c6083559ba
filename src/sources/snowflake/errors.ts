/** Snowflake driver and server errors as one clear SourceError sentence, never with a secret. */
import { SourceError } from '../contract.js';
import { describeError, isNetworkError } from '../sql-common/redact.js';
import type { SnowflakeConnection } from '../../config/connections/snowflake.js';

/** Server codes of failed logins (documented in Snowflake's error reference / driver tests). */
const AUTH_CODES = new Set([
  '390100', // Incorrect username or password was specified.
  '390144', // JWT token is invalid (wrong key, or public key not set on the user).
  '390101', // User temporarily locked.
  '390102', // User is disabled.
  '394300', // Failed to authenticate.
]);
const ROLE_CODES = new Set(['390189']); // Role '...' specified in the connect string is not granted to this user.
const NETWORK_CODES = new Set([401001, 402001, '401001', '402001']);

export function snowflakeSourceError(error: unknown, config: SnowflakeConnection): SourceError {
  if (error instanceof SourceError) return error;
  const code = (error as { code?: unknown }).code;
  const secrets = [config.password, config.privateKey, config.snowflakePrivatekeyPassphrase];
  const cause = describeError(error, secrets);
  const how = config.privateKey !== undefined ? 'privateKey and snowflakePrivatekeyPassphrase' : 'password';
  if (AUTH_CODES.has(String(code))) {
    return new SourceError(
      `Snowflake rejected the login of user "${config.username}" on account "${config.account}" (${cause}); check username and ${how}.`,
      'auth',
    );
  }
  if (ROLE_CODES.has(String(code))) {
    return new SourceError(
      `Snowflake user "${config.username}" may not use role "${config.role ?? ''}" (${cause}); grant the role or change "role".`,
      'permission',
    );
  }
  if (NETWORK_CODES.has(code as never) || isNetworkError(error)) {
    return new SourceError(
      `Cannot reach Snowflake account "${config.account}" (${cause}); check "account" (e.g. xyz1234.us-east-1.gcp) and network access to *.snowflakecomputing.com.`,
      'unreachable',
    );
  }
  return new SourceError(`Snowflake: ${cause}`, 'other');
}
