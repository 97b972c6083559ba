import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import snowflake, { type ConnectionOptions } from 'snowflake-sdk';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { connectSnowflake } from '../../../src/sources/snowflake/client.js';
import type { SnowflakeConnection } from '../../../src/config/connections/snowflake.js';
import { snowflakeConnectionOptions } from '../../../src/sources/snowflake/options.js';
import { createSnowflakeSource as createSnowflakeSourceFromSource } from '../../../src/sources/snowflake/source.js';
import { fromConfig } from '../../support/source-from-config.js';
import {
  connectionFailure,
  databaseConfig,
  parsedConnection,
  sourceOptions,
} from '../../support/sql-source-helpers.js';

const createSnowflakeSource = fromConfig(createSnowflakeSourceFromSource);

const PASSWORD = 'pw-MARKER-19c2';

const parsed = (connection: Record<string, unknown>, env: Record<string, string>) =>
  parsedConnection<SnowflakeConnection>('snowflake', connection, env);

const base = { type: 'Snowflake', username: 'INGEST', account: 'xyz1234.us-east-1.gcp', warehouse: 'COMPUTE_WH' };

describe('snowflake-sdk connection options', () => {
  it("are typed as snowflake-sdk's own ConnectionOptions", () => {
    expectTypeOf(snowflakeConnectionOptions).returns.toEqualTypeOf<ConnectionOptions>();
    expectTypeOf(snowflakeConnectionOptions).parameter(0).toEqualTypeOf<SnowflakeConnection>();
  });

  it('use the SNOWFLAKE authenticator with username and password, and pass account, warehouse, role and database', () => {
    const options = snowflakeConnectionOptions(
      parsed({ ...base, password: '${PW}', role: 'READER', database: 'ANALYTICS', queryTag: 'om' }, { PW: PASSWORD }),
    );
    expect(options).toMatchObject({
      authenticator: 'SNOWFLAKE',
      account: 'xyz1234.us-east-1.gcp',
      username: 'INGEST',
      password: PASSWORD,
      warehouse: 'COMPUTE_WH',
      role: 'READER',
      database: 'ANALYTICS',
      queryTag: 'om',
    });
    expect(options.privateKey).toBeUndefined();
  });

  it('use key-pair authentication (SNOWFLAKE_JWT) with privateKey and its passphrase, restoring newlines of a one-line key', () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'phrase-MARKER' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const oneLine = privateKey.replace(/\n/g, '\\n');
    const options = snowflakeConnectionOptions(
      parsed(
        { ...base, privateKey: '${KEY}', snowflakePrivatekeyPassphrase: '${PASS}' },
        { KEY: oneLine, PASS: 'phrase-MARKER' },
      ),
    );
    expect(options).toMatchObject({ authenticator: 'SNOWFLAKE_JWT', privateKey, privateKeyPass: 'phrase-MARKER' });
    expect(options.password).toBeUndefined();
    // The driver validates options when the connection object is built: it must accept ours.
    snowflake.configure({ logLevel: 'OFF' });
    expect(() => snowflake.createConnection(options)).not.toThrow();
  });

  it('are rejected by config validation when neither password nor privateKey is set', () => {
    expect(() => parsed(base, {})).toThrow(/password.*set "password" or, for key-pair authentication, "privateKey"/s);
  });
});

describe('snowflake-sdk against a local login endpoint', () => {
  // Snowflake answers a refused login on /session/v1/login-request with success:false and code 390100.
  let server: Server;
  let accessUrl = '';
  let loginBody = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (req.url?.startsWith('/session/v1/login-request')) loginBody = body;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            data: { nextAction: 'RETRY_LOGIN', authnMethod: 'USERNAME_PASSWORD' },
            code: '390100',
            message: 'Incorrect username or password was specified.',
            success: false,
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    accessUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reports a refused login as one SourceError sentence without the password', async () => {
    const connection = parsed({ ...base, password: '${PW}' }, { PW: PASSWORD });
    const source = createSnowflakeSource(
      databaseConfig('snowflake', { ...base, password: '${PW}' }, {}, { PW: PASSWORD }),
      sourceOptions,
      () => connectSnowflake({ ...snowflakeConnectionOptions(connection), accessUrl }),
    );
    const failure = await connectionFailure(source.testConnection(), [PASSWORD]);
    expect(failure.reason).toBe('auth');
    expect(failure.message).toBe(
      'Snowflake rejected the login of user "INGEST" on account "xyz1234.us-east-1.gcp" (Incorrect username or password was specified.); check username and password.',
    );
    expect(JSON.parse(loginBody)).toMatchObject({ data: { LOGIN_NAME: 'INGEST', ACCOUNT_NAME: 'xyz1234' } });
    await source.close();
  });
});
