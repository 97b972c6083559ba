/** Pure parts of the MySQL connector: hostPort, TLS options, type names, and fault classification. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TransientError } from '../../../src/util/retry.js';
import { SourceError } from '../../../src/sources/contract.js';
import { parseHostPort, sslOptions, type MysqlClient } from '../../../src/sources/mysql/client.js';
import type { MysqlConnection } from '../../../src/config/connections/mysql.js';
import { createMysqlSource as createMysqlSourceFromSource } from '../../../src/sources/mysql/source.js';
import { fromConfig } from '../../support/source-from-config.js';
import { mysqlDataType } from '../../../src/sources/mysql/types.js';
import { databaseConfig, sourceOptions } from '../../support/sql-source-helpers.js';

const createMysqlSource = fromConfig(createMysqlSourceFromSource);

const dir = mkdtempSync(join(tmpdir(), 'mysql-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = { type: 'Mysql', username: 'u', hostPort: 'h:3306' } as const;

describe('MySQL hostPort', () => {
  it('defaults the port to 3306, accepts IPv6 brackets and a mysql:// prefix', () => {
    expect(parseHostPort('db.example.com')).toEqual({ host: 'db.example.com', port: 3306 });
    expect(parseHostPort('[::1]:3307')).toEqual({ host: '::1', port: 3307 });
    expect(parseHostPort('mysql+pymysql://db:3310')).toEqual({ host: 'db', port: 3310 });
  });

  it('rejects a port out of range with a sentence naming the key', () => {
    expect(() => parseHostPort('db:70000')).toThrow(SourceError);
    expect(() => parseHostPort('db:70000')).toThrow(
      /serviceConnection.config.hostPort \(its port is not a number within 1-65535\) is not host:port/,
    );
  });
});

describe('MySQL TLS options', () => {
  it('are absent without sslCA / sslCert / sslKey', () => {
    expect(sslOptions(base as MysqlConnection)).toBeUndefined();
  });

  it('read PEM files by path, take PEM text as is, and verify the server only with a CA', () => {
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n');
    const key = '-----BEGIN PRIVATE KEY-----\nKEY-MARKER\n-----END PRIVATE KEY-----';
    expect(sslOptions({ ...base, sslCA: ca, sslKey: key } as MysqlConnection)).toEqual({
      ca: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
      cert: undefined,
      key,
      rejectUnauthorized: true,
    });
    expect(sslOptions({ ...base, sslCert: key } as MysqlConnection)?.rejectUnauthorized).toBe(false);
  });

  it('name the key of an unreadable file, and never echo the sslKey value', () => {
    expect(() => sslOptions({ ...base, sslCA: join(dir, 'missing.pem') } as MysqlConnection)).toThrow(
      /serviceConnection.config.sslCA must be a readable PEM file path.*missing\.pem.*ENOENT/,
    );
    let message = '';
    try {
      sslOptions({ ...base, sslKey: '/nope/KEY-MARKER-path' } as MysqlConnection);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/sslKey must be a readable PEM file path or PEM text; "<hidden>"/);
    expect(message).not.toContain('KEY-MARKER');
  });
});

describe('MySQL type names', () => {
  it('are case-insensitive and map an unknown type to UNKNOWN', () => {
    expect(mysqlDataType('VARCHAR')).toBe('VARCHAR');
    expect(mysqlDataType(' MediumText ')).toBe('MEDIUMTEXT');
    expect(mysqlDataType('vector')).toBe('UNKNOWN');
  });
});

describe('MySQL faults', () => {
  /** A client over the connector's query seam: answers the first statement, then loses the connection. */
  function flaky(code: string): MysqlClient {
    let calls = 0;
    return {
      query: () =>
        calls++ === 0
          ? Promise.resolve([{ version: '10.11' }])
          : Promise.reject(Object.assign(new Error(`lost: ${code}`), { code })),
      close: () => Promise.resolve(),
    };
  }
  const config = databaseConfig('mysql', { ...base, password: '${P}' }, {}, { P: 'pw-MARKER' });
  const entity = {
    fqn: 'mysql_test.default.shop.t',
    type: 'table' as const,
    meta: {
      database: 'default',
      schema: 'shop',
      table: 't',
      tableType: 'Regular',
      databaseName: 'default',
      schemaName: 'shop',
      tableName: 't',
    },
  };

  it('turn a connection lost after connecting into a retryable TransientError', async () => {
    const source = createMysqlSource(config, sourceOptions, { connect: () => flaky('PROTOCOL_CONNECTION_LOST') });
    await source.testConnection();
    const error: unknown = await source.process([entity]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/^lost the connection to MySQL at h:3306: lost: PROTOCOL_CONNECTION_LOST/);
  });

  it('turn a refused login as the first statement into a SourceError, not a retry', async () => {
    const refused: MysqlClient = {
      query: () =>
        Promise.reject(
          Object.assign(new Error('Access denied for user'), { code: 'ER_ACCESS_DENIED_ERROR', sqlState: '28000' }),
        ),
      close: () => Promise.resolve(),
    };
    const source = createMysqlSource(config, sourceOptions, { connect: () => refused });
    await expect(source.testConnection()).rejects.toMatchObject({ name: 'SourceError', reason: 'auth' });
  });
});
