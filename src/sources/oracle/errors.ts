/** node-oracledb errors (ORA-/NJS- codes) as one clear SourceError sentence, never with a secret. */
import { passwordOf } from '../../config/connections/common.js';
import { SourceError } from '../contract.js';
import { describeError, isNetworkError } from '../sql-common/redact.js';
import type { OracleConnection } from '../../config/connections/oracle.js';

const AUTH = new Set(['ORA-01017', 'ORA-28000', 'ORA-28001', 'ORA-01005', 'ORA-01004']);
const UNREACHABLE = new Set([
  'NJS-500',
  'NJS-501',
  'NJS-503',
  'NJS-510',
  'NJS-511',
  'NJS-518',
  'ORA-12541',
  'ORA-12170',
]);
const PERMISSION = new Set(['ORA-01031', 'ORA-00942', 'ORA-01045']);

function target(connection: OracleConnection): string {
  const type = connection.oracleConnectionType;
  if ('oracleServiceName' in type) return `service ${type.oracleServiceName} at ${connection.hostPort}`;
  if ('databaseSchema' in type) return `SID ${type.databaseSchema} at ${connection.hostPort}`;
  return 'the TNS connect descriptor in oracleTNSConnection';
}

export function oracleSourceError(error: unknown, connection: OracleConnection): SourceError {
  if (error instanceof SourceError) return error;
  const code = String(
    (error as { code?: unknown }).code ?? /^((?:ORA|NJS)-\d+)/.exec(String((error as Error).message))?.[1] ?? '',
  );
  const cause = describeError(error, [passwordOf(connection)]);
  const where = `Oracle ${target(connection)}`;
  if (AUTH.has(code)) {
    return new SourceError(
      `${where} refused the login of user "${connection.username}" (${cause}); check username and password, and that the account is not locked.`,
      'auth',
    );
  }
  if (code === 'ORA-12514' || code === 'NJS-518') {
    return new SourceError(
      `The listener at ${connection.hostPort} does not know the requested service (${cause}); check oracleConnectionType.oracleServiceName (lsnrctl services lists them).`,
      'unreachable',
    );
  }
  if (code === 'ORA-12505') {
    return new SourceError(
      `The listener at ${connection.hostPort} does not know the requested SID (${cause}); check oracleConnectionType.databaseSchema, or use oracleServiceName.`,
      'unreachable',
    );
  }
  if (code === 'NJS-138') {
    return new SourceError(
      `${where} is too old for node-oracledb thin mode (${cause}); thin mode needs Oracle Database 12.1 or later.`,
      'unreachable',
    );
  }
  if (UNREACHABLE.has(code) || isNetworkError(error)) {
    return new SourceError(
      `Cannot reach ${where} (${cause}); check hostPort and network access to the listener.`,
      'unreachable',
    );
  }
  if (PERMISSION.has(code)) {
    return new SourceError(
      `User "${connection.username}" may not read the catalogue of ${where} (${cause}); grant CREATE SESSION and SELECT ANY DICTIONARY (or SELECT_CATALOG_ROLE).`,
      'permission',
    );
  }
  return new SourceError(`Oracle: ${cause}`, 'other');
}
