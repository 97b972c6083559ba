import { createServer } from 'node:net';
import type { ConnectionAttributes } from 'oracledb';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { SourceError } from '../../../src/sources/contract.js';
import { connectOracle } from '../../../src/sources/oracle/client.js';
import type { OracleConnection } from '../../../src/sources/oracle/connection.js';
import { oracleConnectionAttributes, oracleConnectString } from '../../../src/sources/oracle/options.js';
import { createOracleSource } from '../../../src/sources/oracle/source.js';
import { databaseConfig, sourceOptions } from '../snowflake/helpers.js';

const PASSWORD = 'pw-MARKER-ora-05';
const base = { type: 'Oracle', username: 'INGEST', password: '${PW}', hostPort: 'oracle.example.com:1521' };

function parsed(overrides: Record<string, unknown>): OracleConnection {
  return databaseConfig('oracle', { ...base, ...overrides }, {}, { PW: PASSWORD }).source.serviceConnection
    .config as OracleConnection;
}

describe('node-oracledb connection attributes', () => {
  it("are typed as node-oracledb's own ConnectionAttributes", () => {
    expectTypeOf(oracleConnectionAttributes).returns.toEqualTypeOf<ConnectionAttributes>();
  });

  it('use Easy Connect host:port/service for a service name', () => {
    const attributes = oracleConnectionAttributes(parsed({ oracleConnectionType: { oracleServiceName: 'ORCLPDB1' } }));
    expect(attributes).toMatchObject({
      user: 'INGEST',
      password: PASSWORD,
      connectString: 'oracle.example.com:1521/ORCLPDB1',
    });
  });

  it('use a connect descriptor with CONNECT_DATA=(SID=..) for a SID (databaseSchema), which Easy Connect cannot express', () => {
    expect(oracleConnectString(parsed({ hostPort: 'db01', oracleConnectionType: { databaseSchema: 'ORCL' } }))).toBe(
      '(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=db01)(PORT=1521))(CONNECT_DATA=(SID=ORCL)))',
    );
  });

  it('pass a TNS descriptor through unchanged and bracket IPv6 hosts', () => {
    const tns = '(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=db)(PORT=2484))(CONNECT_DATA=(SERVICE_NAME=s)))';
    expect(oracleConnectString(parsed({ oracleConnectionType: { oracleTNSConnection: tns } }))).toBe(tns);
    expect(
      oracleConnectString(parsed({ hostPort: '[::1]:1522', oracleConnectionType: { oracleServiceName: 'X' } })),
    ).toBe('[::1]:1522/X');
  });

  it('reject a SID or service name that would change the connect descriptor', () => {
    expect(() => parsed({ oracleConnectionType: { databaseSchema: 'ORCL)(HOST=evil' } })).toThrow(
      /service name or SID/,
    );
  });
});

describe('node-oracledb (thin mode) against an unreachable listener', () => {
  it('fails testConnection with one unreachable sentence and no password', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const config = databaseConfig(
      'oracle',
      { ...base, hostPort: `127.0.0.1:${port}`, oracleConnectionType: { oracleServiceName: 'FREEPDB1' } },
      {},
      { PW: PASSWORD },
    );
    const connection = config.source.serviceConnection.config as OracleConnection;
    const source = createOracleSource(config, sourceOptions, () =>
      connectOracle(oracleConnectionAttributes(connection)),
    );
    const failure = (await source.testConnection().catch((e: unknown) => e)) as SourceError;
    expect(failure).toBeInstanceOf(SourceError);
    expect(failure.reason).toBe('unreachable');
    expect(failure.message).toMatch(
      new RegExp(`^Cannot reach Oracle service FREEPDB1 at 127\\.0\\.0\\.1:${port} \\(NJS-\\d+`),
    );
    expect(failure.message).not.toContain(PASSWORD);
    await source.close();
  });
});
