import type { config as MssqlConfig } from 'mssql';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { connectMssql } from '../../../src/sources/mssql/client.js';
import type { MssqlConnection } from '../../../src/config/connections/mssql.js';
import { mssqlConfig, parseMssqlHostPort } from '../../../src/sources/mssql/options.js';
import { createMssqlSource as createMssqlSourceFromSource } from '../../../src/sources/mssql/source.js';
import { fromConfig } from '../../support/source-from-config.js';
import { freePort } from '../../support/db-process.js';
import {
  connectionFailure,
  databaseConfig,
  parsedConnection,
  sourceOptions,
} from '../../support/sql-source-helpers.js';

const createMssqlSource = fromConfig(createMssqlSourceFromSource);

const PASSWORD = 'pw-MARKER-mssql-77';
const base = { type: 'Mssql', username: 'ingest', authType: { password: '${PW}' }, hostPort: 'sql.example.com:1433' };

function parsed(overrides: Record<string, unknown> = {}): MssqlConnection {
  return parsedConnection('mssql', { ...base, ...overrides }, { PW: PASSWORD });
}

describe('mssql connection config', () => {
  it("is typed as mssql's own config", () => {
    expectTypeOf(mssqlConfig).returns.toEqualTypeOf<MssqlConfig>();
  });

  it('connects to host and port with encryption on and the certificate verified by default', () => {
    expect(mssqlConfig(parsed())).toMatchObject({
      server: 'sql.example.com',
      port: 1433,
      user: 'ingest',
      password: PASSWORD,
      database: 'master',
      options: { encrypt: true, trustServerCertificate: false },
    });
  });

  it('takes encrypt and trustServerCertificate from connectionOptions, keys in any case', () => {
    const config = mssqlConfig(parsed({ connectionOptions: { Encrypt: 'no', TrustServerCertificate: 'yes' } }));
    expect(config.options).toMatchObject({ encrypt: false, trustServerCertificate: true });
  });

  it('rejects unknown connection options and non-boolean values, naming the key', () => {
    expect(() => parsed({ connectionOptions: { ApplicationIntent: 'ReadOnly' } })).toThrow(
      /connectionOptions\.ApplicationIntent.*supported: encrypt, trustServerCertificate/s,
    );
    expect(() => parsed({ connectionOptions: { encrypt: 'maybe' } })).toThrow(
      /connectionOptions\.encrypt.*"yes", "no"/s,
    );
  });

  it('reads a named instance (host\\INSTANCE) without a port, and IPv6 in brackets', () => {
    expect(parseMssqlHostPort('db01\\SQLEXPRESS')).toEqual({ server: 'db01', instanceName: 'SQLEXPRESS' });
    expect(mssqlConfig(parsed({ hostPort: 'db01\\SQLEXPRESS' }))).toMatchObject({
      server: 'db01',
      port: undefined,
      options: { instanceName: 'SQLEXPRESS' },
    });
    expect(parseMssqlHostPort('[::1]:14330')).toEqual({ server: '::1', port: 14330 });
    expect(parseMssqlHostPort('sql.example.com')).toEqual({ server: 'sql.example.com', port: 1433 });
    expect(() => parseMssqlHostPort('sql.example.com:99999')).toThrow(/invalid port/);
  });
});

describe('mssql driver against an unreachable host', () => {
  it('fails testConnection with one unreachable sentence naming hostPort and not the password', async () => {
    const hostPort = `127.0.0.1:${await freePort()}`; // nothing listens there
    const config = databaseConfig('mssql', { ...base, hostPort }, {}, { PW: PASSWORD });
    const connection = config.source.serviceConnection.config as MssqlConnection;
    const source = createMssqlSource(config, sourceOptions, () =>
      connectMssql({ ...mssqlConfig(connection), connectionTimeout: 5000 }),
    );
    const failure = await connectionFailure(source.testConnection(), [PASSWORD]);
    expect(failure.reason).toBe('unreachable');
    expect(failure.message).toMatch(
      new RegExp(`^Cannot reach SQL Server ${hostPort} \\(Failed to connect to .*\\); check hostPort`),
    );
    await source.close();
  });
});
