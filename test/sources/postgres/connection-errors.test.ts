import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText, resolveConfig } from '../../../src/config/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import { createSource } from '../../../src/sources/registry.js';
import { SourceError } from '../../../src/sources/contract.js';
import { startPostgres, type PostgresServer } from '../../support/postgres-server.js';
import { collect, makeSource } from './fixture.js';

const MARKER = 'MARKER-pw-7f3a9c';

let pg: PostgresServer;

beforeAll(async () => {
  pg = await startPostgres();
});

afterAll(async () => {
  await pg?.close();
});

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

function expectOneSentence(message: string): void {
  expect(message).not.toContain('\n');
  expect(message).not.toContain(MARKER);
  expect(message.trim().endsWith('.')).toBe(true);
}

describe('PostgreSQL connection errors', () => {
  it('a wrong password names host, user and database, and never the password', async () => {
    const { source } = makeSource(pg, { connection: { authType: { password: MARKER } } });
    const error = await failure(source.testConnection());
    await source.close();
    expect(error.reason).toBe('auth');
    expect(error.message).toContain(`PostgreSQL at ${pg.hostPort}`);
    expect(error.message).toContain(`user "${pg.user}"`);
    expect(error.message).toContain(`database "${pg.database}"`);
    expect(error.message).toMatch(/password/);
    expectOneSentence(error.message);
  });

  it('an unreachable host says so and points at hostPort', async () => {
    const port = await closedPort();
    const { source } = makeSource(pg, {
      connection: { hostPort: `127.0.0.1:${port}`, password: MARKER, authType: undefined },
    });
    const error = await failure(source.testConnection());
    await source.close();
    expect(error.reason).toBe('unreachable');
    expect(error.message).toContain(`Cannot reach PostgreSQL at 127.0.0.1:${port}`);
    expect(error.message).toContain('hostPort');
    expectOneSentence(error.message);
  });

  it('an unknown database names it and the key to fix', async () => {
    const { source } = makeSource(pg, { connection: { database: 'no_such_db', authType: { password: MARKER } } });
    // Authentication comes first: with the right password the database is the problem.
    const { source: right } = makeSource(pg, { connection: { database: 'no_such_db' } });
    const wrongPassword = await failure(source.testConnection());
    const error = await failure(right.testConnection());
    await Promise.all([source.close(), right.close()]);
    expect(wrongPassword.reason).toBe('auth');
    expect(error.reason).toBe('config');
    expect(error.message).toContain('no database "no_such_db"');
    expect(error.message).toContain('serviceConnection.config.database');
    expectOneSentence(error.message);
  });

  it('a malformed hostPort is refused with the expected form', () => {
    expect(() => makeSource(pg, { connection: { hostPort: 'db:port' } })).toThrow(
      /not host:port.*db\.example\.com:5432/,
    );
  });

  it('a server that goes away during discovery gives one sentence, not a driver stack', async () => {
    const other = await startPostgres({ password: MARKER });
    const { source } = makeSource(other);
    await source.testConnection();
    await other.close();
    const error = await failure(collect(source.discover()));
    await source.close();
    expect(error.message).toContain(`PostgreSQL at ${other.hostPort}`);
    expectOneSentence(error.message);
  });
});

describe('the postgres connector from a config file', () => {
  it('is discoverable and ingests with ${VAR} credentials', async () => {
    const loaded = parseConfigText(`
source:
  type: postgres
  serviceName: from_yaml
  serviceConnection:
    config:
      type: Postgres
      hostPort: \${PG_HOST_PORT}
      username: ${pg.user}
      authType:
        password: \${PG_PASSWORD}
      database: ${pg.database}
  sourceConfig:
    config:
      type: DatabaseMetadata
sink:
  type: file
  config:
    filename: out.jsonl
workflowConfig:
  openMetadataServerConfig:
    hostPort: http://localhost:8585/api
    securityConfig:
      jwtToken: \${OM_TOKEN}
`);
    const config = resolveConfig(loaded, { PG_HOST_PORT: pg.hostPort, PG_PASSWORD: pg.password, OM_TOKEN: 't' });
    await pg.query('create table if not exists public.from_yaml (id int)');
    const source = await createSource(config, { logger: silentLogger, concurrency: 1 });
    try {
      await source.testConnection();
      const found = await collect(source.discover());
      expect(found.map((d) => d.fqn)).toContain('from_yaml.argo_test.public.from_yaml');
      const parents = await collect(source.parents());
      expect(JSON.stringify(parents)).not.toContain(pg.password);
    } finally {
      await source.close();
    }
  });
});
