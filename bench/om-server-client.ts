/**
 * The benchmark's side of bench/om-server-process.ts: forks the OpenMetadata test server into its own
 * process and talks to it over the IPC channel.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface OmServerStats {
  /** Tables stored. */
  readonly tables: number;
  /** CPU time of the server process since it started or was last reset. */
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  /** PUT requests (single and bulk) since the last reset. */
  readonly requests: number;
  /** PUT /tables and PUT /tables/bulk requests since the last reset. */
  readonly tableRequests: number;
}

export interface OmServerProcess {
  /** `http://127.0.0.1:<port>/api`. */
  readonly url: string;
  stats(): Promise<OmServerStats>;
  /** Forgets every entity and restarts the CPU count. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface OmServerProcessOptions {
  readonly latencyMs: number;
  readonly token: string;
  /** Extra node flags of the server process (e.g. --cpu-prof). @default none */
  readonly nodeArgs?: readonly string[];
  /** The version the server announces (1.13.4 offers PUT /tables/bulk). @default 1.0.4 */
  readonly version?: string;
}

export async function startOmServerProcess(options: OmServerProcessOptions): Promise<OmServerProcess> {
  const child: ChildProcess = fork(
    join(HERE, 'om-server-process.ts'),
    [String(options.latencyMs), options.token, options.version ?? '1.0.4'],
    {
      execArgv: [...(options.nodeArgs ?? []), '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const next = <T extends { type: string }>(type: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: T) => {
        if (message.type !== type) return;
        cleanup();
        resolve(message);
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`the OpenMetadata test server process exited (${code}) before answering ${type}`));
      };
      const cleanup = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  const { url } = await next<{ type: 'ready'; url: string }>('ready');
  return {
    url,
    async stats() {
      const answer = next<OmServerStats & { type: 'stats' }>('stats');
      child.send({ type: 'stats' });
      const { tables, cpuSeconds, peakRssMb, requests, tableRequests } = await answer;
      return { tables, cpuSeconds, peakRssMb, requests, tableRequests };
    },
    async reset() {
      const answer = next('reset');
      child.send({ type: 'reset' });
      await answer;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'close' });
      await exited;
    },
  };
}
