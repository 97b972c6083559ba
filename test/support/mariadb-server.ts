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
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';

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
  const owner = osOwner();

  const dir = mkdtempSync(join(tmpdir(), 'argo-ingest-mariadb-'));
  const dataDir = join(dir, 'data');
  const socket = join(dir, 'mariadb.sock');
  const initFile = join(dir, 'init.sql');
  try {
    mkdirSync(dataDir);
    if (owner) {
      chownSync(dir, owner.uid, owner.gid);
      chownSync(dataDir, owner.uid, owner.gid);
    }
    run(installDb, [
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

    const { child, port } = await startOnFreePort(server, dir, dataDir, socket, initFile, owner, user, password);
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

    let closed = false;
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
      async close() {
        if (closed) return;
        closed = true;
        await Promise.all([...pools.values()].map((p) => p.end().catch(() => undefined)));
        await stop(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

interface Owner {
  readonly uid: number;
  readonly gid: number;
}

/** The `mysql` OS user when we run as root (mariadbd refuses root without --user); otherwise ourselves. */
function osOwner(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'mysql'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'mysql'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function run(command: string, args: readonly string[]): void {
  try {
    execFileSync(command, args, { stdio: 'pipe', cwd: '/' });
  } catch (error) {
    const e = error as { stderr?: Buffer; stdout?: Buffer };
    throw new Error(`${command} failed: ${e.stderr?.toString() || e.stdout?.toString() || String(error)}`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the server; another session may take the port between probe and bind, so retry a few times. */
async function startOnFreePort(
  server: string,
  dir: string,
  dataDir: string,
  socket: string,
  initFile: string,
  owner: Owner | undefined,
  user: string,
  password: string,
): Promise<{ child: ChildProcess; port: number }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const logFile = join(dir, `error-${attempt}.log`);
    const child = spawn(
      server,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--socket=${socket}`,
        `--pid-file=${join(dir, 'mariadb.pid')}`,
        `--log-error=${logFile}`,
        `--init-file=${initFile}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        ...(owner ? ['--user=mysql'] : []),
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
    try {
      await waitReady(child, port, user, password, log);
      // The server outlives a crashed test worker otherwise; shutting it down on exit is best effort.
      const onExit = () => child.kill('SIGTERM');
      process.once('exit', onExit);
      child.once('exit', () => process.off('exit', onExit));
      return { child, port };
    } catch (error) {
      lastError = error;
      await stop(child);
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

async function waitReady(
  child: ChildProcess,
  port: number,
  user: string,
  password: string,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`mariadbd exited during start-up: ${log()}`);
    try {
      // Ready once the init file's user can log in over TCP (the init file runs before connections).
      const connection = await mysql.createConnection({
        host: '127.0.0.1',
        port,
        user,
        password,
        connectTimeout: 2000,
      });
      await connection.query('SELECT 1');
      await connection.end();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`mariadbd did not become ready within 60 s: ${log()}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM'); // normal shutdown
  });
}
