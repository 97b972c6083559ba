/**
 * PostgreSQL / network errors -> one sentence a user can act on (SourceError), or a TransientError the
 * runtime retries. Messages name host, port, user and database, never the password: pg's own messages
 * do not contain it, and every message is passed through `redact` anyway.
 */
import { TransientError } from '../../util/retry.js';
import { SourceError } from '../contract.js';

export interface ConnectionTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** Only used to scrub it from messages. */
  readonly password?: string;
}

interface PgLikeError {
  readonly code?: string;
  readonly message?: string;
}

/** SQLSTATE classes and Node codes for "the connection failed; try again". */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01', '08000', '08003', '08006']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

export function redact(message: string, password: string | undefined): string {
  return password ? message.split(password).join('***') : message;
}

function where(t: ConnectionTarget): string {
  return `PostgreSQL at ${t.host}:${t.port}`;
}

/** The error of a failed connect / first query, as one sentence with the fix. */
export function connectionError(error: unknown, t: ConnectionTarget): SourceError {
  const e = (error ?? {}) as PgLikeError;
  const detail = redact(e.message ?? String(error), t.password);
  const code = e.code ?? '';
  if (code === '28P01') {
    return new SourceError(
      `${where(t)} rejected the password for user "${t.user}" (database "${t.database}"); check serviceConnection.config.username and the password variable's value.`,
      'auth',
    );
  }
  if (code === '28000') {
    return new SourceError(
      `${where(t)} does not allow user "${t.user}" to connect to database "${t.database}" (${detail}); add a pg_hba.conf entry for this client or use another user.`,
      'auth',
    );
  }
  if (code === '3D000') {
    return new SourceError(
      `${where(t)} has no database "${t.database}" (user "${t.user}"); fix serviceConnection.config.database.`,
      'config',
    );
  }
  if (code === '42501') {
    return new SourceError(
      `User "${t.user}" may not connect to database "${t.database}" on ${where(t)}; grant CONNECT on the database to the user.`,
      'permission',
    );
  }
  if (NETWORK_CODES.has(code) || /timeout expired|connection terminated/i.test(detail)) {
    const reason = code === 'ENOTFOUND' ? 'host name not found' : code || 'connection timed out';
    return new SourceError(
      `Cannot reach ${where(t)} (${reason}) as user "${t.user}" for database "${t.database}"; check serviceConnection.config.hostPort and that the server accepts TCP connections from this machine.`,
      'unreachable',
    );
  }
  if (/ssl/i.test(detail)) {
    return new SourceError(
      `SSL negotiation with ${where(t)} failed for user "${t.user}" (database "${t.database}"): ${detail}; check serviceConnection.config.sslMode.`,
      'config',
    );
  }
  return new SourceError(
    `Connecting to ${where(t)} as user "${t.user}" (database "${t.database}") failed: ${detail}.`,
    'other',
  );
}

/** Whether a query error means the connection (not the statement) failed. */
export function isConnectionLevel(error: unknown): boolean {
  const e = (error ?? {}) as PgLikeError;
  const code = e.code ?? '';
  if (TRANSIENT_SQLSTATES.has(code) || NETWORK_CODES.has(code) || code === 'ECONNRESET' || code === 'EPIPE')
    return true;
  return /connection terminated|Connection terminated|timeout exceeded when trying to connect/.test(e.message ?? '');
}

/** A connection-level fault during processing, as a TransientError (the runtime retries the batch). */
export function transientError(error: unknown, t: ConnectionTarget): TransientError {
  const e = (error ?? {}) as PgLikeError;
  return new TransientError(
    `lost the connection to ${where(t)} (database "${t.database}"): ${redact(e.message ?? String(error), t.password)}`,
  );
}
