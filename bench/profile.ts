/**
 * CPU profile of one local-mode run (`npx tsx bench/profile.ts`): PostgreSQL with an estate of
 * BENCH_TABLES (default 2000) entities, the OpenMetadata test server in its own process with
 * BENCH_LATENCY_MS (default 5) latency, one run at BENCH_PARALLELISM (default 50) and BENCH_CHUNK_SIZE
 * (default 20); both processes run with --cpu-prof, and the top self-time functions of each are printed
 * (bench/cpuprofile-top.ts). Profiles are kept in BENCH_PROFILE_DIR (default a temp dir).
 * BENCH_RUN_PROFILE=<file> with BENCH_PROFILE=0 profiles the timed run alone instead (bench/local-mode-run.ts).
 * The run loads the compiled lib/ (`npm run build` first) unless BENCH_SOURCE=src (bench/product.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres } from '../test/support/postgres-server.js';
import { createEstate, runWorker } from './harness.js';
import { startOmServerProcess } from './om-server-client.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const TABLES = Number(process.env.BENCH_TABLES ?? 2000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 5);
const PARALLELISM = Number(process.env.BENCH_PARALLELISM ?? 50);
const CHUNK_SIZE = Number(process.env.BENCH_CHUNK_SIZE ?? 20);
const TOKEN = 'bench-token';
/** BENCH_PROFILE=0 measures the same run without the profiler. */
const PROFILE = process.env.BENCH_PROFILE !== '0';
const dir = process.env.BENCH_PROFILE_DIR ?? mkdtempSync(join(tmpdir(), 'argo-ingest-profile-'));
mkdirSync(dir, { recursive: true });
const workerDir = join(dir, 'worker');
const serverDir = join(dir, 'server');

const pg = await startPostgres();
const om = await startOmServerProcess({
  latencyMs: LATENCY_MS,
  token: TOKEN,
  nodeArgs: PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${serverDir}`] : [],
});
try {
  const entities = await createEstate(pg, pg.database, TABLES);
  const r = await runWorker(pg, om, TOKEN, dir, {
    database: pg.database,
    parallelism: PARALLELISM,
    chunkSize: CHUNK_SIZE,
    nodeArgs: PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${workerDir}`] : [],
  });
  console.log(
    `${entities} entities, ${r.shards} shards, p=${PARALLELISM}: ${r.seconds.toFixed(1)} s, ${(r.entities / r.seconds).toFixed(0)} entities/s, ` +
      `worker CPU ${r.cpuSeconds.toFixed(1)} s (${((r.cpuSeconds / r.entities) * 1000).toFixed(2)} ms/entity), ` +
      `server CPU ${r.serverCpuSeconds.toFixed(1)} s (${((r.serverCpuSeconds / r.entities) * 1000).toFixed(2)} ms/entity), ` +
      `PostgreSQL CPU ${r.postgresCpuSeconds.toFixed(1)} s (${((r.postgresCpuSeconds / r.entities) * 1000).toFixed(2)} ms/entity), peak RSS ${r.peakRssMb.toFixed(0)} MB`,
  );
} finally {
  await om.close();
  await pg.close();
}
for (const [name, sub] of (PROFILE
  ? [
      ['worker', workerDir],
      ['OpenMetadata test server', serverDir],
    ]
  : []) as [string, string][]) {
  for (const file of readdirSync(sub).filter((f) => f.endsWith('.cpuprofile'))) {
    console.log(`\n=== ${name}`);
    console.log(
      execFileSync(process.execPath, ['--import', 'tsx', join(HERE, 'cpuprofile-top.ts'), join(sub, file), '25'], {
        encoding: 'utf8',
      }),
    );
  }
}
if (!process.env.BENCH_PROFILE_DIR) rmSync(dir, { recursive: true, force: true });
