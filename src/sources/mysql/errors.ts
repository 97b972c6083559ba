/**
 * MySQL / MariaDB and network errors -> one SourceError sentence with the fix, or a TransientError the
 * runtime retries. Messages name host, port, user and database, never the password (mysql2's messages
 * do not contain it; every detail is redacted anyway).
 */
import { TransientError } from '../../util/retry.js';
import { SourceError } from '../contract.js';
import { describeError, isNetworkError } from '../sql-common/redact.js';

export interface MysqlTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** `databaseSchema`, when the connection is restricted to one database. */
  readonly database?: string;
  /** Only used to scrub it from messages. */
  readonly password?: string;
}

interface MysqlLikeError {
  readonly code?: string;
  readonly errno?: number;
}

/** Errors that mean the connection (not the statement) failed: worth another attempt. */
const CONNECTION_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ECONNRESET',
  'EPIPE',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
]);

function where(t: MysqlTarget): string {
  return `MySQL at ${t.host}:${t.port}`;
}

/** The error of a failed connect / first query, as one sentence with the fix. */
export function mysqlConnectionError(error: unknown, t: MysqlTarget): SourceError {
  if (error instanceof SourceError) return error;
  const e = (error ?? {}) as MysqlLikeError;
  const detail = describeError(error, [t.password]);
  switch (e.code) {
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      return new SourceError(
        `${where(t)} rejected the login of user "${t.user}" (wrong password, or no such user for this client host); check serviceConnection.config.username and the password variable's value.`,
        'auth',
      );
    case 'ER_HOST_NOT_PRIVILEGED':
    case 'ER_HOST_IS_BLOCKED':
      return new SourceError(
        `${where(t)} does not accept connections from this machine for user "${t.user}" (${detail}); create the user for this client host or connect from an allowed one.`,
        'auth',
      );
    case 'ER_BAD_DB_ERROR':
      return new SourceError(
        `${where(t)} has no database "${t.database ?? ''}" (user "${t.user}"); fix serviceConnection.config.databaseSchema or remove it to scan every database.`,
        'config',
      );
    case 'ER_DBACCESS_DENIED_ERROR':
      return new SourceError(
        `User "${t.user}" may not use database "${t.database ?? ''}" on ${where(t)}; grant SELECT (or SHOW VIEW) on it to the user.`,
        'permission',
      );
  }
  if (isNetworkError(error) || e.code === 'PROTOCOL_CONNECTION_LOST') {
    const reason = e.code === 'ENOTFOUND' ? 'host name not found' : (e.code ?? 'connection failed');
    return new SourceError(
      `Cannot reach ${where(t)} (${reason}) as user "${t.user}"; check serviceConnection.config.hostPort and that the server accepts TCP connections from this machine.`,
      'unreachable',
    );
  }
  if (e.code === 'HANDSHAKE_SSL_ERROR' || /ssl|tls|certificate/i.test(detail)) {
    return new SourceError(
      `TLS with ${where(t)} failed for user "${t.user}": ${detail}; check serviceConnection.config.sslCA / sslCert / sslKey.`,
      'config',
    );
  }
  return new SourceError(`Connecting to ${where(t)} as user "${t.user}" failed: ${detail}.`, 'other');
}

/** Whether a query error means the connection failed (as opposed to the statement). */
export function isConnectionLevel(error: unknown): boolean {
  const code = (error as MysqlLikeError | undefined)?.code;
  return (code !== undefined && CONNECTION_CODES.has(code)) || isNetworkError(error);
}

/** A connection-level fault during processing, as a TransientError (the runtime retries the batch). */
export function mysqlTransientError(error: unknown, t: MysqlTarget): TransientError {
  return new TransientError(`lost the connection to ${where(t)}: ${describeError(error, [t.password])}`);
}
