/** mssql / tedious errors as one clear SourceError sentence, never with a secret. */
import { passwordOf } from '../../config/connections/common.js';
import { SourceError } from '../contract.js';
import { describeError, isNetworkError } from '../sql-common/redact.js';
import type { MssqlConnection } from '../../config/connections/mssql.js';

/** Server error numbers for "not allowed" (229 permission denied, 916 no access to the database). */
const PERMISSION_NUMBERS = new Set([229, 230, 262, 916, 4060]);

export function mssqlSourceError(error: unknown, connection: MssqlConnection): SourceError {
  if (error instanceof SourceError) return error;
  const code = (error as { code?: unknown }).code;
  const number =
    (error as { number?: unknown }).number ?? (error as { originalError?: { number?: unknown } }).originalError?.number;
  const cause = describeError(error, [passwordOf(connection)]);
  const where = `SQL Server ${connection.hostPort}`;
  if (code === 'ELOGIN') {
    return new SourceError(
      `${where} refused the login of user "${connection.username}" (${cause}); check username and password, and that SQL Server authentication is enabled.`,
      'auth',
    );
  }
  if (code === 'EINSTLOOKUP') {
    return new SourceError(
      `Cannot find the SQL Server instance in hostPort ${connection.hostPort} (${cause}); check the instance name and that the SQL Server Browser (UDP 1434) is reachable, or use host:port.`,
      'unreachable',
    );
  }
  if (/certificate|self[- ]signed|SSL|TLS/i.test(cause) && (code === 'ESOCKET' || code === 'EENCRYPT')) {
    return new SourceError(
      `${where} presented a TLS certificate that cannot be verified (${cause}); install a trusted certificate, or set connectionOptions.trustServerCertificate: "yes" if you trust this server.`,
      'unreachable',
    );
  }
  if (code === 'ESOCKET' || code === 'ETIMEOUT' || code === 'ECONNCLOSED' || isNetworkError(error)) {
    return new SourceError(
      `Cannot reach ${where} (${cause}); check hostPort and that the server accepts TCP connections from here.`,
      'unreachable',
    );
  }
  if (typeof number === 'number' && PERMISSION_NUMBERS.has(number)) {
    return new SourceError(
      `User "${connection.username}" may not read the catalogue on ${where} (${cause}); grant VIEW DEFINITION (and CONNECT) on the databases to ingest.`,
      'permission',
    );
  }
  return new SourceError(`SQL Server: ${cause}`, 'other');
}
