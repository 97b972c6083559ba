/**
 * Benchmark of LOCAL mode (`npm run bench`). Not a test: nothing here asserts on time.
 *
 * Set-up: a Debian PostgreSQL holding a 10,000-entity estate and a 2,000-entity one; the OpenMetadata
 * test server (every body validated against the 1.0.4 schemas) in a process of its own, as a real server
 * would be, with a fixed latency per request; each run is `argo-ingest run`'s in-process path in a child
 * process, so its CPU time and peak RSS are the worker's alone. chunkSize 20 with shardFactor 2 gives
 * K = parallelism x shardFactor = 100 shards at parallelism 50 on both estates, so all 50 slots have work.
 *
 * Sections (BENCH_SECTIONS, default `main,io`):
 * - main: latency BENCH_LATENCY_MS (5). Parallelism 1 on a 1,000-entity subset of the big estate (one
 *   schema; a sequential run's rate does not depend on the estate's size, and the whole estate would take
 *   minutes), parallelism BENCH_PARALLELISM (50) on the 10,000 and on the 2,000 estates. Prints the
 *   speed-up, the CPU per entity of the worker, the server and PostgreSQL, the CPU-bound ceiling of this
 *   machine, and peak RSS at 2,000 vs 10,000 entities.
 * - io: the same comparison with slower sinks (BENCH_IO_LATENCIES, default `20,200` ms) on the 2,000
 *   estate, where the sink's latency rather than the CPU bounds the speed-up. Parallelism 1 runs on a
 *   subset small enough to take ~20 s (1,000 entities up to 20 ms, 125 above).
 *
 * Other knobs: BENCH_TABLES (10000), BENCH_SMALL_TABLES (2000), BENCH_CHUNK_SIZE (20), BENCH_NODE_ARGS
 * (node flags of the runs, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`; see bench/profile.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type PostgresServer } from '../test/support/postgres-server.js';
import { createEstate, runWorker, type RunResult, type RunSettings } from './harness.js';
import { startOmServerProcess, type OmServerProcess } from './om-server-client.js';

const TABLES = Number(process.env.BENCH_TABLES ?? 10_000);
const SMALL_TABLES = Number(process.env.BENCH_SMALL_TABLES ?? 2_000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 5);
const IO_LATENCIES = (process.env.BENCH_IO_LATENCIES ?? '20,200').split(',').filter(Boolean).map(Number);
const PARALLELISM = Number(process.env.BENCH_PARALLELISM ?? 50);
const CHUNK_SIZE = Number(process.env.BENCH_CHUNK_SIZE ?? 20);
const SECTIONS = new Set((process.env.BENCH_SECTIONS ?? 'main,io').split(','));
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const TOKEN = 'bench-token';
const CORES = cpus().length;

/** The estate's first schema (estateSchemaName(0)): ~1,000 entities. */
const SUBSET_SCHEMA = ['^sales$'];
/** ... and only its `orders_*` tables: ~125 entities, for the slow-sink sequential runs. */
const SUBSET_TABLES = ['^orders_'];

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

function row(label: string, r: RunResult): string {
  const rate = r.entities / r.seconds;
  return (
    `${label.padEnd(44)} ${String(r.entities).padStart(6)} entities ${String(r.shards).padStart(4)} shards ` +
    `${r.seconds.toFixed(1).padStart(6)} s ${rate.toFixed(0).padStart(5)} entities/s | CPU worker ${r.cpuSeconds.toFixed(1)} s, ` +
    `OM server ${r.serverCpuSeconds.toFixed(1)} s, PostgreSQL ${r.postgresCpuSeconds.toFixed(1)} s | peak RSS ${r.peakRssMb.toFixed(0)} MB | ` +
    `load ${r.load.toFixed(1)} | failed ${r.failed}`
  );
}

const rate = (r: RunResult) => r.entities / r.seconds;
const msPerEntity = (seconds: number, r: RunResult) => ((seconds / r.entities) * 1000).toFixed(2);

async function withServer<T>(latencyMs: number, body: (om: OmServerProcess) => Promise<T>): Promise<T> {
  const om = await startOmServerProcess({ latencyMs, token: TOKEN });
  try {
    return await body(om);
  } finally {
    await om.close();
  }
}

async function mainSection(pg: PostgresServer, dir: string, small: string): Promise<void> {
  console.log(`\n## main: OpenMetadata test server latency ${LATENCY_MS} ms, chunkSize ${CHUNK_SIZE}`);
  await withServer(LATENCY_MS, async (om) => {
    const run = (s: Omit<RunSettings, 'chunkSize' | 'nodeArgs'>) =>
      runWorker(pg, om, TOKEN, dir, { chunkSize: CHUNK_SIZE, nodeArgs: NODE_ARGS, ...s });
    const sequential = await run({ database: pg.database, parallelism: 1, schemas: SUBSET_SCHEMA });
    console.log(row('parallelism 1 (subset: one schema)', sequential));
    const parallel = await run({ database: pg.database, parallelism: PARALLELISM });
    console.log(row(`parallelism ${PARALLELISM}`, parallel));
    const smallParallel = await run({ database: small, parallelism: PARALLELISM });
    console.log(row(`parallelism ${PARALLELISM} (small estate)`, smallParallel));

    const speedUp = rate(parallel) / rate(sequential);
    console.log(
      `Speed-up at parallelism ${PARALLELISM}: ${speedUp.toFixed(1)}x ` +
        `(${rate(parallel).toFixed(0)} entities/s on ${parallel.entities} vs ${rate(sequential).toFixed(0)} entities/s at parallelism 1 ` +
        `measured on ${sequential.entities}; target ${(0.9 * PARALLELISM).toFixed(0)}x = 0.9 x parallelism)`,
    );
    const total = parallel.cpuSeconds + parallel.serverCpuSeconds + parallel.postgresCpuSeconds;
    const ceiling = (CORES * parallel.entities) / total;
    console.log(
      `CPU per entity at parallelism ${PARALLELISM}: worker ${msPerEntity(parallel.cpuSeconds, parallel)} ms + ` +
        `OM server ${msPerEntity(parallel.serverCpuSeconds, parallel)} ms + PostgreSQL ${msPerEntity(parallel.postgresCpuSeconds, parallel)} ms ` +
        `= ${msPerEntity(total, parallel)} ms -> CPU-bound ceiling on ${CORES} idle cores: ${ceiling.toFixed(0)} entities/s ` +
        `= ${(ceiling / rate(sequential)).toFixed(1)}x the parallelism-1 rate`,
    );
    console.log(
      `Worker CPU used ${((parallel.cpuSeconds / parallel.seconds) * 100).toFixed(0)}% of one core, all three processes ` +
        `${((total / parallel.seconds / CORES) * 100).toFixed(0)}% of the ${CORES} cores (the rest went to other work on the machine)`,
    );
    console.log(
      `Peak RSS of the worker at parallelism ${PARALLELISM}: ${smallParallel.peakRssMb.toFixed(0)} MB for ${smallParallel.entities} entities, ` +
        `${parallel.peakRssMb.toFixed(0)} MB for ${parallel.entities} (x${(parallel.peakRssMb / smallParallel.peakRssMb).toFixed(2)} for ` +
        `x${(parallel.entities / smallParallel.entities).toFixed(1)} entities; +${(parallel.peakRssMb - smallParallel.peakRssMb).toFixed(0)} MB for ` +
        `+${parallel.entities - smallParallel.entities} entities)`,
    );
  });
}

async function ioSection(pg: PostgresServer, dir: string, small: string, latencyMs: number): Promise<void> {
  console.log(`\n## io: OpenMetadata test server latency ${latencyMs} ms, chunkSize ${CHUNK_SIZE}`);
  await withServer(latencyMs, async (om) => {
    const run = (s: Omit<RunSettings, 'chunkSize' | 'nodeArgs'>) =>
      runWorker(pg, om, TOKEN, dir, { chunkSize: CHUNK_SIZE, nodeArgs: NODE_ARGS, ...s });
    const tables = latencyMs > 20 ? SUBSET_TABLES : undefined;
    const sequential = await run({ database: small, parallelism: 1, schemas: SUBSET_SCHEMA, tables });
    console.log(row(`parallelism 1 (subset: one schema${tables ? ', orders_*' : ''})`, sequential));
    const parallel = await run({ database: small, parallelism: PARALLELISM });
    console.log(row(`parallelism ${PARALLELISM} (small estate)`, parallel));
    const ideal = PARALLELISM * rate(sequential);
    console.log(
      `Speed-up at parallelism ${PARALLELISM} with ${latencyMs} ms latency: ${(rate(parallel) / rate(sequential)).toFixed(1)}x ` +
        `(${rate(parallel).toFixed(0)} vs ${rate(sequential).toFixed(0)} entities/s; ${PARALLELISM} x the sequential rate would be ${ideal.toFixed(0)} entities/s, ` +
        `which needs ${((ideal * (parallel.cpuSeconds + parallel.serverCpuSeconds + parallel.postgresCpuSeconds)) / parallel.entities).toFixed(2)} cores at this run's CPU per entity)`,
    );
  });
}

async function main(): Promise<void> {
  console.log(
    `Machine: ${CORES} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM ` +
      `(${(freemem() / 2 ** 30).toFixed(1)} free), node ${process.version}; load average ${load()}`,
  );
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'argo-ingest-bench-'));
  const pg = await startPostgres();
  try {
    const big = SECTIONS.has('main') ? await createEstate(pg, pg.database, TABLES) : 0;
    await pg.admin(`create database small owner ${pg.user}`);
    const small = await createEstate(pg, 'small', SMALL_TABLES);
    console.log(
      `Estates: ${big} and ${small} entities, built in ${((performance.now() - started) / 1000).toFixed(1)} s; load average ${load()}`,
    );
    if (SECTIONS.has('main')) await mainSection(pg, dir, 'small');
    if (SECTIONS.has('io')) for (const latency of IO_LATENCIES) await ioSection(pg, dir, 'small', latency);
  } finally {
    await pg.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nBenchmark wall time: ${((performance.now() - started) / 1000).toFixed(0)} s; load average ${load()}`);
}

await main();
