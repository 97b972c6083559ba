/**
 * A real Debian PostgreSQL for tests: initdb in a fresh temp dir, started on a free 127.0.0.1 port with
 * password (scram-sha-256) auth for a test user, its Unix socket in the temp dir, fsync off.
 *
 *   const pg = await startPostgres();
 *   await pg.query('create table t (id int primary key)');   // as the test user, in pg.database
 *   await pg.admin('create database other');                  // as the superuser (over the socket)
 *   ... connect with { host: pg.host, port: pg.port, user: pg.user, password: pg.password, database: pg.database }
 *   await pg.close();                                          // stops the server, removes the dir
 *
 * When running as root the data directory and the server belong to the `postgres` OS user (PostgreSQL
 * refuses to run as root). Never touches the system service.
 */
import { spawn } from 'node:child_process';
import { chownSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import {
  closeOnce,
  inTempDir,
  osOwner,
  runCommand,
  startServerProcess,
  type Owner,
  type ServerProcess,
} from './db-process.js';

export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  /** A non-superuser that owns `database` (the connector's credentials in tests). */
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** `host:port`, as a connection config's hostPort. */
  readonly hostPort: string;
  /** The Unix socket directory (superuser access without a password). */
  readonly socketDir: string;
  /** Runs SQL as the test user in `database` (or another database of the server). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: readonly unknown[],
    database?: string,
  ): Promise<pg.QueryResult<R>>;
  /** Runs SQL as the superuser `postgres` (create databases / roles, foreign data wrappers). */
  admin<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: readonly unknown[],
    database?: string,
  ): Promise<pg.QueryResult<R>>;
  close(): Promise<void>;
}

export interface StartPostgresOptions {
  /** The test user's password. @default 'test-password' */
  readonly password?: string;
  /** @default 'argo_test' */
  readonly user?: string;
  /** @default 'argo_test' */
  readonly database?: string;
  /** max_connections of the server. @default 300 */
  readonly maxConnections?: number;
}

/** The newest installed major version's bin directory (/usr/lib/postgresql/<major>/bin). */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((d) => /^\d+$/.test(d) && existsSync(join(root, d, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0) {
    throw new Error(
      'PostgreSQL is not installed: expected /usr/lib/postgresql/<version>/bin (apt-get install postgresql)',
    );
  }
  return join(root, majors[0]!, 'bin');
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const user = options.user ?? 'argo_test';
  const password = options.password ?? 'test-password';
  const database = options.database ?? 'argo_test';
  const owner = osOwner('postgres');

  return inTempDir('argo-ingest-pg-', owner, async (dir) => {
    const dataDir = join(dir, 'data');
    runCommand(
      join(bin, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C.UTF-8',
        '--no-sync',
      ],
      owner,
    );
    writeFileSync(
      join(dataDir, 'postgresql.auto.conf'),
      [
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        `max_connections = ${options.maxConnections ?? 300}`,
        'shared_buffers = 64MB',
        "password_encryption = 'scram-sha-256'",
        "log_min_messages = 'fatal'",
        '',
      ].join('\n'),
    );
    if (owner) chownSync(join(dataDir, 'postgresql.auto.conf'), owner.uid, owner.gid);

    const postgres = await startPostgresProcess(bin, dataDir, dir, owner);
    const { port } = postgres;
    const pools = new Map<string, pg.Pool>();
    const pool = (key: string, config: pg.PoolConfig): pg.Pool => {
      let p = pools.get(key);
      if (!p) {
        p = new pg.Pool({ ...config, max: 4 });
        p.on('error', () => undefined); // idle clients die on shutdown; not a test failure
        pools.set(key, p);
      }
      return p;
    };
    const admin = <R extends pg.QueryResultRow>(sql: string, params?: readonly unknown[], db = 'postgres') =>
      pool(`admin:${db}`, { host: dir, port, user: 'postgres', database: db }).query<R>(sql, params as unknown[]);
    await admin(`create role ${user} login password '${password.replace(/'/g, "''")}' createdb`);
    await admin(`create database ${database} owner ${user}`);
    const query = <R extends pg.QueryResultRow>(sql: string, params?: readonly unknown[], db = database) =>
      pool(`user:${db}`, { host: '127.0.0.1', port, user, password, database: db }).query<R>(sql, params as unknown[]);

    return {
      host: '127.0.0.1',
      port,
      user,
      password,
      database,
      hostPort: `127.0.0.1:${port}`,
      socketDir: dir,
      query,
      admin,
      close: closeOnce(() => pools.values(), postgres, dir),
    };
  });
}

function startPostgresProcess(
  bin: string,
  dataDir: string,
  socketDir: string,
  owner: Owner | undefined,
): Promise<ServerProcess> {
  return startServerProcess({
    name: 'postgres',
    stopSignal: 'SIGINT', // fast shutdown
    killAfterMs: 15_000,
    spawn: (port) => {
      const child = spawn(join(bin, 'postgres'), ['-D', dataDir, '-p', String(port)], {
        uid: owner?.uid,
        gid: owner?.gid,
        cwd: '/',
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4000);
      });
      return { child, log: () => stderr };
    },
    ready: async (port) => {
      const client = new pg.Client({ host: socketDir, port, user: 'postgres', database: 'postgres' });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('select 1');
        await client.end();
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
    },
  });
}
