/**
 * A real Debian MariaDB for tests: mariadb-install-db into a fresh temp dir, mariadbd started on a free
 * 127.0.0.1 port with its socket in the temp dir, no binary log, small buffers, no fsync. An init file
 * creates a test user with a password (grant tables stay on: wrong passwords are refused for real).
 *
 *   const db = await startMariaDb();
 *   await db.query('create database shop');
 *   await db.query('create table shop.t (id int primary key)');
 *   ... connect with { host: db.host, port: db.port, user: db.user, password: db.password }
 *   await db.close();   // shuts the server down, removes the dir
 *
 * When running as root the data directory and the server belong to the `mysql` OS user. Never touches
 * the system service (--no-defaults: /etc/mysql is not read).
 */
import { spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import {
  closeOnce,
  inTempDir,
  osOwner,
  runCommand,
  startServerProcess,
  type Owner,
  type ServerProcess,
} from './db-process.js';

export interface MariaDbServer {
  readonly host: string;
  readonly port: number;
  /** A user with every privilege on every database (WITH GRANT OPTION), authenticated by password. */
  readonly user: string;
  readonly password: string;
  /** `host:port`, as a connection config's hostPort. */
  readonly hostPort: string;
  /** The server's Unix socket. */
  readonly socket: string;
  /**
   * Runs SQL as the test user (several statements separated by `;` are allowed), with `?` parameters,
   * optionally with `database` as the default database. Returns the rows of a SELECT.
   */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[], database?: string): Promise<R[]>;
  close(): Promise<void>;
}

export interface StartMariaDbOptions {
  /** @default 'argo_test' */
  readonly user?: string;
  /** @default 'test-password' */
  readonly password?: string;
}

/** mariadbd / mariadb-install-db, or the mysqld name older packages install. */
function binaries(): { server: string; installDb: string } {
  const server = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'].find((p) => existsSync(p));
  const installDb = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'].find((p) => existsSync(p));
  if (!server || !installDb) {
    throw new Error('MariaDB is not installed: expected /usr/sbin/mariadbd (apt-get install mariadb-server)');
  }
  return { server, installDb };
}

export async function startMariaDb(options: StartMariaDbOptions = {}): Promise<MariaDbServer> {
  const { server, installDb } = binaries();
  const user = options.user ?? 'argo_test';
  const password = options.password ?? 'test-password';
  const owner = osOwner('mysql');

  return inTempDir('argo-ingest-mariadb-', owner, async (dir) => {
    const dataDir = join(dir, 'data');
    const socket = join(dir, 'mariadb.sock');
    const initFile = join(dir, 'init.sql');
    mkdirSync(dataDir);
    if (owner) chownSync(dataDir, owner.uid, owner.gid);
    // As root, --user=mysql makes install-db and mariadbd switch to the `mysql` OS user themselves.
    runCommand(installDb, [
      '--no-defaults',
      `--datadir=${dataDir}`,
      ...(owner ? ['--user=mysql'] : []),
      '--auth-root-authentication-method=socket',
      '--skip-test-db',
      '--skip-name-resolve',
      '--innodb-buffer-pool-size=32M',
      '--innodb-flush-method=nosync',
    ]);
    const literal = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    writeFileSync(
      initFile,
      ['127.0.0.1', 'localhost']
        .flatMap((host) => [
          `CREATE USER IF NOT EXISTS ${literal(user)}@${literal(host)} IDENTIFIED BY ${literal(password)};`,
          `GRANT ALL PRIVILEGES ON *.* TO ${literal(user)}@${literal(host)} WITH GRANT OPTION;`,
        ])
        .join('\n') + '\n',
    );
    if (owner) chownSync(initFile, owner.uid, owner.gid);

    const mariadbd = await startMariaDbd({ server, dir, dataDir, socket, initFile, owner, user, password });
    const { port } = mariadbd;
    const pools = new Map<string, mysql.Pool>();
    const pool = (database: string | undefined): mysql.Pool => {
      const key = database ?? '';
      let p = pools.get(key);
      if (!p) {
        p = mysql.createPool({
          host: '127.0.0.1',
          port,
          user,
          password,
          database,
          multipleStatements: true,
          connectionLimit: 4,
        });
        pools.set(key, p);
      }
      return p;
    };

    return {
      host: '127.0.0.1',
      port,
      user,
      password,
      hostPort: `127.0.0.1:${port}`,
      socket,
      async query<R>(sql: string, params: readonly unknown[] = [], database?: string): Promise<R[]> {
        const [rows] = await pool(database).query(sql, params as unknown[]);
        return (Array.isArray(rows) ? rows : []) as R[];
      },
      close: closeOnce(() => pools.values(), mariadbd, dir),
    };
  });
}

interface MariaDbdOptions {
  readonly server: string;
  readonly dir: string;
  readonly dataDir: string;
  readonly socket: string;
  readonly initFile: string;
  readonly owner: Owner | undefined;
  readonly user: string;
  readonly password: string;
}

function startMariaDbd(o: MariaDbdOptions): Promise<ServerProcess> {
  return startServerProcess({
    name: 'mariadbd',
    stopSignal: 'SIGTERM', // normal shutdown
    killAfterMs: 20_000,
    spawn: (port, attempt) => {
      const logFile = join(o.dir, `error-${attempt}.log`);
      const child = spawn(
        o.server,
        [
          '--no-defaults',
          `--datadir=${o.dataDir}`,
          `--socket=${o.socket}`,
          `--pid-file=${join(o.dir, 'mariadb.pid')}`,
          `--log-error=${logFile}`,
          `--init-file=${o.initFile}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          ...(o.owner ? ['--user=mysql'] : []),
          '--skip-log-bin',
          '--skip-name-resolve',
          '--skip-performance-schema',
          '--character-set-server=utf8mb4',
          '--collation-server=utf8mb4_bin',
          '--innodb-buffer-pool-size=64M',
          '--innodb-log-file-size=16M',
          '--innodb-flush-log-at-trx-commit=0',
          '--innodb-flush-method=nosync',
          '--innodb-doublewrite=0',
          '--sync-frm=0',
          '--max-connections=300',
          '--key-buffer-size=1M',
        ],
        { cwd: '/', stdio: ['ignore', 'ignore', 'ignore'] },
      );
      const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '');
      return { child, log };
    },
    // Ready once the init file's user can log in over TCP (the init file runs before connections).
    ready: async (port) => {
      const connection = await mysql.createConnection({
        host: '127.0.0.1',
        port,
        user: o.user,
        password: o.password,
        connectTimeout: 2000,
      });
      await connection.query('SELECT 1');
      await connection.end();
    },
  });
}
