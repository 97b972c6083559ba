/**
 * Shared pieces of the benchmark scripts: building an estate in PostgreSQL, the run's config, and one run
 * of local mode in a child process (bench/local-mode-run.ts) against an OpenMetadata test server process.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEstate } from '../src/demo/estate.js';
import type { PostgresServer } from '../test/support/postgres-server.js';
import type { OmServerProcess } from './om-server-client.js';
import { productSource, type ProductSource } from './product.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');

let product: ProductSource | undefined;
/** What the runs load (checked once): the compiled lib/, or src/ with BENCH_SOURCE=src. See product.ts. */
export function measuredProduct(): ProductSource {
  product ??= productSource(ROOT);
  return product;
}

/** What one run printed (bench/local-mode-run.ts) plus the server's side of it. */
export interface RunResult {
  readonly entities: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly shards: number;
  readonly seconds: number;
  /** CPU time of the worker process during the run (user + system). */
  readonly cpuSeconds: number;
  /** Peak RSS of the worker process. */
  readonly peakRssMb: number;
  /** CPU time of the OpenMetadata test server process during the run. */
  readonly serverCpuSeconds: number;
  /** CPU time of PostgreSQL (postmaster, backends, background processes) during the run. */
  readonly postgresCpuSeconds: number;
  /** PUT requests the server received (parents included), and those for tables (single or bulk). */
  readonly requests: number;
  readonly tableRequests: number;
  /** 1-minute load average at the end of the run. */
  readonly load: number;
}

export interface RunSettings {
  readonly database: string;
  readonly parallelism: number;
  /** distributedExecution.chunkSize. */
  readonly chunkSize: number;
  /** distributedExecution.shardFactor. @default 2 */
  readonly shardFactor?: number;
  /** sourceConfig.config.schemaFilterPattern.includes (a subset of the estate). @default all */
  readonly schemas?: readonly string[];
  /** sourceConfig.config.tableFilterPattern.includes. @default all */
  readonly tables?: readonly string[];
  /** Extra node flags of the worker (e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[];
}

/** Schemas of ~1,000 entities: each schema adds 2 views, 1 materialized view and 1 partitioned table. */
export async function createEstate(pg: PostgresServer, database: string, entities: number): Promise<number> {
  const schemas = Math.max(1, Math.round(entities / 1000));
  const perSchemaExtras = 4;
  const tablesPerSchema = Math.max(1, Math.round(entities / schemas) - perSchemaExtras);
  const estate = await buildEstate((sql) => pg.query(sql, [], database), { schemas, tablesPerSchema });
  // Settle the catalogue now, so that autovacuum's work on it is not charged to the first run.
  await pg.admin('vacuum analyze', [], database);
  await pg.admin('checkpoint');
  return estate.entityCount;
}

function includes(key: string, patterns: readonly string[] | undefined): string {
  if (!patterns) return '';
  return `\n      ${key}:\n        includes: [${patterns.map((p) => JSON.stringify(p)).join(', ')}]`;
}

export function configText(settings: RunSettings): string {
  return `source:
  type: postgres
  serviceName: bench_pg
  serviceConnection:
    config:
      type: Postgres
      hostPort: \${BENCH_PG_HOST_PORT}
      username: \${BENCH_PG_USER}
      authType:
        password: \${BENCH_PG_PASSWORD}
      database: ${settings.database}
  sourceConfig:
    config:
      type: DatabaseMetadata
      markDeletedTables: false${includes('schemaFilterPattern', settings.schemas)}${includes('tableFilterPattern', settings.tables)}
sink:
  type: metadata-rest
  config: {}
workflowConfig:
  loggerLevel: WARN
  openMetadataServerConfig:
    hostPort: \${BENCH_OM_HOST_PORT}
    authProvider: openmetadata
    securityConfig:
      jwtToken: \${BENCH_OM_TOKEN}
  distributedExecution:
    enabled: true
    orchestrator: local
    parallelism: ${settings.parallelism}
    chunkSize: ${settings.chunkSize}
    shardFactor: ${settings.shardFactor ?? 2}
    retryPolicy:
      maxAttempts: 3
      backoffSeconds: 1
      backoffFactor: 2
      maxBackoffSeconds: 5
`;
}

/**
 * One run of local mode in a child process against `om` (reset first), checking that the server holds
 * exactly the discovered tables afterwards.
 */
export async function runWorker(
  pg: PostgresServer,
  om: OmServerProcess,
  token: string,
  dir: string,
  settings: RunSettings,
): Promise<RunResult> {
  await om.reset();
  const postgresAtStart = postgresCpuSeconds(pg);
  const file = join(dir, `${settings.database}-p${settings.parallelism}-c${settings.chunkSize}-${Date.now()}.yaml`);
  writeFileSync(file, configText(settings));
  const output = await new Promise<string>((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [...(settings.nodeArgs ?? []), '--import', 'tsx', join(HERE, 'local-mode-run.ts'), file],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          BENCH_PG_HOST_PORT: pg.hostPort,
          BENCH_PG_USER: pg.user,
          BENCH_PG_PASSWORD: pg.password,
          BENCH_OM_HOST_PORT: om.url,
          BENCH_OM_TOKEN: token,
          BENCH_PRODUCT: measuredProduct(),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolvePromise(stdout) : reject(new Error(`benchmark run exited with ${code}: ${stdout}`)),
    );
  });
  const line = output.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`no BENCH_RESULT in: ${output}`);
  const result = JSON.parse(line.slice('BENCH_RESULT '.length)) as Omit<RunResult, 'serverCpuSeconds'>;
  const server = await om.stats();
  if (server.tables !== result.entities) {
    throw new Error(`the server holds ${server.tables} tables, expected ${result.entities}`);
  }
  return {
    ...result,
    serverCpuSeconds: server.cpuSeconds,
    postgresCpuSeconds: postgresCpuSeconds(pg) - postgresAtStart,
    requests: server.requests,
    tableRequests: server.tableRequests,
  };
}

const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime (+ cutime + cstime: reaped children) of a process, from /proc/<pid>/stat, in ticks. */
function procTicks(pid: number, withChildren: boolean): number {
  try {
    // Fields after the command name (which may contain spaces) start at field 3 (state).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const [utime, stime, cutime, cstime] = [fields[11]!, fields[12]!, fields[13]!, fields[14]!];
    return utime + stime + (withChildren ? cutime + cstime : 0);
  } catch {
    return 0; // the process ended between listing and reading
  }
}

/**
 * CPU used so far by the PostgreSQL server: the postmaster with its reaped children (backends of
 * closed connections) plus its live children. Linux only; 0 elsewhere.
 */
export function postgresCpuSeconds(pg: PostgresServer): number {
  try {
    const postmaster = Number(readFileSync(join(pg.socketDir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    let ticks = procTicks(postmaster, true);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === postmaster) ticks += procTicks(Number(entry), false);
      } catch {
        // gone already
      }
    }
    return ticks / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
