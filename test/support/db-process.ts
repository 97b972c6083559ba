/**
 * Process management shared by the test database servers (postgres-server.ts, mariadb-server.ts): the
 * OS user a server runs as when we are root, running set-up commands, a free 127.0.0.1 port, starting
 * the server (retrying on a port taken in between), waiting until it answers, shutting it down, and the
 * temp dir that holds its data.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

/**
 * The OS user `name` (e.g. `postgres`, `mysql`) when we run as root, since database servers refuse to
 * run as root; undefined otherwise (the server runs as ourselves).
 */
export function osOwner(name: string): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** Runs a set-up command (initdb, mariadb-install-db), as `owner` when given; throws with its output. */
export function runCommand(command: string, args: readonly string[], owner?: Owner): void {
  try {
    execFileSync(command, args, { stdio: 'pipe', uid: owner?.uid, gid: owner?.gid, cwd: '/' });
  } catch (error) {
    const e = error as { stderr?: Buffer; stdout?: Buffer };
    throw new Error(`${command} failed: ${e.stderr?.toString() || e.stdout?.toString() || String(error)}`);
  }
}

/** A TCP port on 127.0.0.1 that nothing listened on a moment ago. */
export async function freePort(): Promise<number> {
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

/**
 * Makes a temp dir (owned by `owner` when given) and runs `start` in it; when `start` throws, the dir
 * is removed before the error goes on. On success the server's close() removes it.
 */
export async function inTempDir<T>(
  prefix: string,
  owner: Owner | undefined,
  start: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    if (owner) chownSync(dir, owner.uid, owner.gid);
    return await start(dir);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

export interface ServerProcessOptions {
  /** The server's name in error messages (`postgres`, `mariadbd`). */
  readonly name: string;
  /**
   * Spawns the server listening on `port` (`attempt` counts from 0); `log` returns the tail of what
   * it reported, for the error when it does not come up.
   */
  readonly spawn: (port: number, attempt: number) => { child: ChildProcess; log: () => string };
  /** Resolves once the server accepts connections on `port`; rejects (any error) while it does not. */
  readonly ready: (port: number) => Promise<void>;
  /** The signal for a clean shutdown (PostgreSQL: SIGINT, fast shutdown; MariaDB: SIGTERM). */
  readonly stopSignal: NodeJS.Signals;
  /** How long a shutdown may take before SIGKILL. */
  readonly killAfterMs: number;
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** Shuts the server down (SIGKILL after killAfterMs); resolves once it has exited. */
  stop(): Promise<void>;
}

/** How long a server may take to accept connections. */
const READY_TIMEOUT_MS = 60_000;
/** Another session may take the port between probe and bind, so a start is tried this many times. */
const START_ATTEMPTS = 5;

/** Starts the server on a free port and waits until it is ready. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const stop = (child: ChildProcess) => stopProcess(child, options.stopSignal, options.killAfterMs);
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const { child, log } = options.spawn(port, attempt);
    try {
      await waitReady(options.name, child, () => options.ready(port), log);
      // The server outlives a crashed test worker otherwise; shutting it down on exit is best effort.
      const onExit = () => child.kill(options.stopSignal);
      process.once('exit', onExit);
      child.once('exit', () => process.off('exit', onExit));
      return { child, port, stop: () => stop(child) };
    } catch (error) {
      lastError = error;
      await stop(child);
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

async function waitReady(
  name: string,
  child: ChildProcess,
  ready: () => Promise<void>,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${name} exited during start-up: ${log()}`);
    try {
      await ready();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${name} did not become ready within ${READY_TIMEOUT_MS / 1000} s: ${log()}`);
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals, killAfterMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/**
 * The close() of a test server: ends its client pools, stops the process and removes its temp dir.
 * A second call does nothing.
 */
export function closeOnce(
  pools: () => Iterable<{ end(): Promise<void> }>,
  server: ServerProcess,
  dir: string,
): () => Promise<void> {
  let closed = false;
  return async () => {
    if (closed) return;
    closed = true;
    await Promise.all([...pools()].map((p) => p.end().catch(() => undefined)));
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
