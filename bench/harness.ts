/**
 * Shared pieces of the benchmark scripts: building an estate in PostgreSQL, the run's config, and one run
 * of local mode in a child process (bench/local-mode-run.ts) against an OpenMetadata test server process.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEstate } from '../src/demo/estate.js';
import type { PostgresServer } from '../test/support/postgres-server.js';
import type { OmServerProcess } from './om-server-client.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');

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
  /** Extra node flags of the worker (e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[];
}

/** Schemas of ~1,000 entities: each schema adds 2 views, 1 materialized view and 1 partitioned table. */
export async function createEstate(pg: PostgresServer, database: string, entities: number): Promise<number> {
  const schemas = Math.max(1, Math.round(entities / 1000));
  const perSchemaExtras = 4;
  const tablesPerSchema = Math.max(1, Math.round(entities / schemas) - perSchemaExtras);
  const estate = await buildEstate((sql) => pg.query(sql, [], database), { schemas, tablesPerSchema });
  return estate.entityCount;
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
      markDeletedTables: false
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
  const file = join(dir, `${settings.database}-p${settings.parallelism}-c${settings.chunkSize}.yaml`);
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
  return { ...result, serverCpuSeconds: server.cpuSeconds };
}
