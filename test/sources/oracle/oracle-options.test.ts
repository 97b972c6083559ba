import type { ConnectionAttributes } from 'oracledb';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { connectOracle } from '../../../src/sources/oracle/client.js';
import type { OracleConnection } from '../../../src/config/connections/oracle.js';
import { oracleConnectionAttributes, oracleConnectString } from '../../../src/sources/oracle/options.js';
import { createOracleSource as createOracleSourceFromSource } from '../../../src/sources/oracle/source.js';
import { fromConfig } from '../../support/source-from-config.js';
import { freePort } from '../../support/db-process.js';
import {
  connectionFailure,
  databaseConfig,
  parsedConnection,
  sourceOptions,
} from '../../support/sql-source-helpers.js';

const createOracleSource = fromConfig(createOracleSourceFromSource);

const PASSWORD = 'pw-MARKER-ora-05';
const base = { type: 'Oracle', username: 'INGEST', password: '${PW}', hostPort: 'oracle.example.com:1521' };

function parsed(overrides: Record<string, unknown>): OracleConnection {
  return parsedConnection('oracle', { ...base, ...overrides }, { PW: PASSWORD });
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
    const port = await freePort(); // nothing listens there
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
    const failure = await connectionFailure(source.testConnection(), [PASSWORD]);
    expect(failure.reason).toBe('unreachable');
    expect(failure.message).toMatch(
      new RegExp(`^Cannot reach Oracle service FREEPDB1 at 127\\.0\\.0\\.1:${port} \\(NJS-\\d+`),
    );
    await source.close();
  });
});
