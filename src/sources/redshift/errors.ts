/**
 * Redshift (PostgreSQL wire protocol) and network errors -> one SourceError sentence with the fix, or
 * a TransientError the runtime retries. Messages name host, port, user and database, never the password.
 */
import { TransientError } from '../../util/retry.js';
import { SourceError } from '../contract.js';
import { describeError, isNetworkError } from '../sql-common/redact.js';

export interface RedshiftTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Only used to scrub it from messages. */
  readonly password?: string;
}

/** SQLSTATEs of a connection that went away or a server that is (re)starting. */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08003', '08006']);

function where(t: RedshiftTarget): string {
  return `Redshift at ${t.host}:${t.port}`;
}

/** The error of a failed connect / first query in `database`, as one sentence with the fix. */
export function redshiftConnectionError(error: unknown, t: RedshiftTarget, database: string): SourceError {
  if (error instanceof SourceError) return error;
  const code = (error as { code?: string } | undefined)?.code ?? '';
  const detail = describeError(error, [t.password]);
  // PostgreSQL says 28P01 for a wrong password; Redshift says 28000 with "password authentication failed".
  if (code === '28P01' || (code === '28000' && /password/i.test(detail))) {
    return new SourceError(
      `${where(t)} rejected the password for user "${t.user}" (database "${database}"); check serviceConnection.config.username and the password variable's value.`,
      'auth',
    );
  }
  if (code === '28000') {
    return new SourceError(
      `${where(t)} does not allow user "${t.user}" to connect to database "${database}" (${detail}); check the user's grants and the cluster's require_ssl / sslMode.`,
      'auth',
    );
  }
  if (code === '3D000') {
    return new SourceError(
      `${where(t)} has no database "${database}" (user "${t.user}"); fix serviceConnection.config.database.`,
      'config',
    );
  }
  if (code === '42501') {
    return new SourceError(
      `User "${t.user}" may not read the catalogue of database "${database}" on ${where(t)} (${detail}); grant the user access (see docs/connectors-mysql-redshift.md).`,
      'permission',
    );
  }
  if (isNetworkError(error) || /timeout expired|connection terminated|timeout exceeded/i.test(detail)) {
    const reason = code === 'ENOTFOUND' ? 'host name not found' : code || 'connection timed out';
    return new SourceError(
      `Cannot reach ${where(t)} (${reason}) as user "${t.user}" for database "${database}"; check serviceConnection.config.hostPort, the cluster's security group and that it is publicly accessible or reachable from this network.`,
      'unreachable',
    );
  }
  if (/ssl/i.test(detail)) {
    return new SourceError(
      `SSL negotiation with ${where(t)} failed for user "${t.user}" (database "${database}"): ${detail}; check serviceConnection.config.sslMode.`,
      'config',
    );
  }
  return new SourceError(
    `Connecting to ${where(t)} as user "${t.user}" (database "${database}") failed: ${detail}.`,
    'other',
  );
}

/** Whether an error means the connection (not the statement) failed. */
export function isConnectionLevel(error: unknown): boolean {
  const e = (error ?? {}) as { code?: string; message?: string };
  if (CONNECTION_SQLSTATES.has(e.code ?? '') || e.code === 'EPIPE' || isNetworkError(error)) return true;
  return /connection terminated|timeout exceeded when trying to connect/i.test(e.message ?? '');
}

/** Whether a server error is about the statement (a SQLSTATE the server sent), not the login. */
export function isStatementError(error: unknown): boolean {
  const code = (error as { code?: string; severity?: string } | undefined)?.code ?? '';
  return /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('28') && code !== '3D000' && !CONNECTION_SQLSTATES.has(code);
}

export function redshiftTransientError(error: unknown, t: RedshiftTarget, database: string): TransientError {
  return new TransientError(
    `lost the connection to ${where(t)} (database "${database}"): ${describeError(error, [t.password])}`,
  );
}
