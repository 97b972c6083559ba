/**
 * Benchmark of LOCAL mode (`npm run bench`): a Debian PostgreSQL with a 10,000-table estate (and a
 * 2,000-table one), ingested into the OpenMetadata test server with a fixed per-request latency, at
 * parallelism 1 and 50. Prints entities/second, the speed-up, and each run's peak RSS (the run is a
 * child process, so its RSS excludes the servers). Not a test: nothing here asserts on time.
 *
 * Environment: BENCH_TABLES (default 10000), BENCH_SMALL_TABLES (default 2000), BENCH_LATENCY_MS
 * (default 5), BENCH_PARALLELISM (default 50), BENCH_IO_LATENCY_MS (default 50, the I/O-bound check on the
 * small estate), BENCH_SECTIONS (default main,io), BENCH_NODE_ARGS (node flags of the runs, e.g. --cpu-prof).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEstate } from '../src/demo/estate.js';
import { startOmServer } from '../test/support/om-server.js';
import { startPostgres, type PostgresServer } from '../test/support/postgres-server.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const TABLES = Number(process.env.BENCH_TABLES ?? 10_000);
const SMALL_TABLES = Number(process.env.BENCH_SMALL_TABLES ?? 2_000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 5);
const PARALLELISM = Number(process.env.BENCH_PARALLELISM ?? 50);
const TOKEN = 'bench-token';
/** Extra node flags for the runs, e.g. BENCH_NODE_ARGS=--cpu-prof to profile them. */
/** Latency of the I/O-bound check (small estate, where the sink's latency dominates CPU). */
const IO_LATENCY_MS = Number(process.env.BENCH_IO_LATENCY_MS ?? 50);
/** `main` (10,000 tables, both parallelisms, RSS) and / or `io` (the I/O-bound check). */
const SECTIONS = new Set((process.env.BENCH_SECTIONS ?? 'main,io').split(','));
const CHILD_NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

interface RunResult {
  /** CPU of this process (the OpenMetadata test server) during the run; set by runOnce. */
  serverCpuSeconds?: number;
  readonly entities: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly seconds: number;
  /** CPU time of the run's process (user + system). */
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

/** Schemas of ~1,000 entities: each schema adds 2 views, 1 materialized view and 1 partitioned table. */
async function createEstate(pg: PostgresServer, database: string, entities: number): Promise<number> {
  const schemas = Math.max(1, Math.round(entities / 1000));
  const perSchemaExtras = 4;
  const tablesPerSchema = Math.max(1, Math.round(entities / schemas) - perSchemaExtras);
  const estate = await buildEstate((sql) => pg.query(sql, [], database), { schemas, tablesPerSchema });
  return estate.entityCount;
}

function configText(database: string, parallelism: number): string {
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
      database: ${database}
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
    parallelism: ${parallelism}
    retryPolicy:
      maxAttempts: 3
      backoffSeconds: 1
      backoffFactor: 2
      maxBackoffSeconds: 5
`;
}

async function runOnce(
  pg: PostgresServer,
  dir: string,
  database: string,
  parallelism: number,
  latencyMs = LATENCY_MS,
): Promise<RunResult> {
  const om = await startOmServer({ token: TOKEN, latencyMs });
  const cpuAtStart = process.cpuUsage();
  const file = join(dir, `${database}-p${parallelism}.yaml`);
  writeFileSync(file, configText(database, parallelism));
  try {
    const output = await new Promise<string>((resolvePromise, reject) => {
      const child = spawn(
        process.execPath,
        [...CHILD_NODE_ARGS, '--import', 'tsx', join(HERE, 'local-mode-run.ts'), file],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            BENCH_PG_HOST_PORT: pg.hostPort,
            BENCH_PG_USER: pg.user,
            BENCH_PG_PASSWORD: pg.password,
            BENCH_OM_HOST_PORT: om.url,
            BENCH_OM_TOKEN: TOKEN,
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
    const result = JSON.parse(line.slice('BENCH_RESULT '.length)) as RunResult;
    const stored = om.entities('table').size;
    if (stored !== result.entities) throw new Error(`the server holds ${stored} tables, expected ${result.entities}`);
    const cpu = process.cpuUsage(cpuAtStart);
    return { ...result, serverCpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    await om.close();
  }
}

function row(label: string, r: RunResult): string {
  const rate = r.entities / r.seconds;
  return `${label.padEnd(34)} ${String(r.entities).padStart(6)} entities  ${r.seconds.toFixed(1).padStart(7)} s  ${rate.toFixed(0).padStart(6)} entities/s  CPU run ${r.cpuSeconds.toFixed(1)} s + OM server ${(r.serverCpuSeconds ?? 0).toFixed(1)} s  peak RSS ${r.peakRssMb.toFixed(0)} MB  failed ${r.failed}`;
}

async function main(): Promise<void> {
  console.log(
    `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} free), node ${process.version}`,
  );
  console.log(
    `Load average: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(`OpenMetadata test server latency: ${LATENCY_MS} ms per request`);
  const dir = mkdtempSync(join(tmpdir(), 'argo-ingest-bench-'));
  const pg = await startPostgres();
  try {
    let t = performance.now();
    const big = SECTIONS.has('main') ? await createEstate(pg, pg.database, TABLES) : 0;
    await pg.admin(`create database small owner ${pg.user}`);
    const small = await createEstate(pg, 'small', SMALL_TABLES);
    console.log(`Estates: ${big} and ${small} entities, built in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    t = performance.now();
    if (SECTIONS.has('main')) {
      const sequential = await runOnce(pg, dir, pg.database, 1);
      console.log(row('local mode, parallelism 1', sequential));
      const parallel = await runOnce(pg, dir, pg.database, PARALLELISM);
      console.log(row(`local mode, parallelism ${PARALLELISM}`, parallel));
      const smallParallel = await runOnce(pg, dir, 'small', PARALLELISM);
      console.log(row(`local mode, parallelism ${PARALLELISM} (small)`, smallParallel));

      const speedUp = sequential.seconds / parallel.seconds;
      console.log(
        `Speed-up at parallelism ${PARALLELISM}: ${speedUp.toFixed(1)}x (target ${(0.9 * PARALLELISM).toFixed(0)}x = 0.9 x parallelism)`,
      );
      console.log(
        `Peak RSS at parallelism ${PARALLELISM}: ${smallParallel.peakRssMb.toFixed(0)} MB for ${smallParallel.entities} entities, ${parallel.peakRssMb.toFixed(0)} MB for ${parallel.entities} (x${(parallel.peakRssMb / smallParallel.peakRssMb).toFixed(2)} for x${(parallel.entities / smallParallel.entities).toFixed(1)} entities)`,
      );
      const cpuPerEntityMs = ((parallel.cpuSeconds + (parallel.serverCpuSeconds ?? 0)) / parallel.entities) * 1000;
      console.log(
        `CPU per entity (run + OpenMetadata test server, PostgreSQL not counted): ${cpuPerEntityMs.toFixed(2)} ms -> CPU-bound ceiling on ${cpus().length} cores: ${((cpus().length * 1000) / cpuPerEntityMs).toFixed(0)} entities/s = ${(((cpus().length * 1000) / cpuPerEntityMs) * (sequential.seconds / sequential.entities)).toFixed(1)}x the parallelism-1 rate`,
      );
      console.log(
        `Load average at the end: ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
      );
    }
    if (SECTIONS.has('io')) {
      // With a slow sink the work is I/O-bound and the CPU of this shared machine stops being the limit.
      const ioSequential = await runOnce(pg, dir, 'small', 1, IO_LATENCY_MS);
      console.log(row(`latency ${IO_LATENCY_MS} ms, parallelism 1 (small)`, ioSequential));
      const ioParallel = await runOnce(pg, dir, 'small', PARALLELISM, IO_LATENCY_MS);
      console.log(row(`latency ${IO_LATENCY_MS} ms, parallelism ${PARALLELISM} (small)`, ioParallel));
      console.log(
        `Speed-up at parallelism ${PARALLELISM} with ${IO_LATENCY_MS} ms latency: ${(ioSequential.seconds / ioParallel.seconds).toFixed(1)}x`,
      );
    }
    console.log(`Benchmark wall time: ${((performance.now() - t) / 1000).toFixed(0)} s`);
  } finally {
    await pg.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
