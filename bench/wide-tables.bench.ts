/**
 * Memory per batch on wide tables: 1,000 tables of 1,600 columns (PostgreSQL's maximum) in one schema,
 * ingested by one shard into the `file` sink, in a process whose heap is capped like a worker pod at the
 * default 2 Gi limit (`--max-old-space-size=1536`: three quarters of the limit for the heap, the rest for
 * buffers, code and the native side). Run twice: batches cut by chunkSize alone (1,000 tables in one
 * batch, as before the column budget) and with the default column budget.
 *
 *   npx tsx bench/wide-tables.bench.ts            # results go to bench/RESULTS.md by hand
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BATCH_COLUMN_BUDGET } from '../src/runtime/memory.js';
import { startPostgres } from '../test/support/postgres-server.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const TABLES = 1000;
const COLUMNS = 1600;
const HEAP_MB = 1536;
const TYPES = ['int', 'varchar(64)', 'numeric(12,2)', 'timestamptz', 'text', 'boolean', 'bigint', 'date'];

const dir = mkdtempSync(join(tmpdir(), 'bench-wide-'));
const pg = await startPostgres({ password: 'bench-wide' });
try {
  const built = performance.now();
  await pg.query('create schema wide');
  const columns = Array.from(
    { length: COLUMNS },
    (_, i) => `col_${String(i).padStart(4, '0')} ${TYPES[i % TYPES.length]}`,
  );
  for (let t = 0; t < TABLES; t += 10) {
    const ddl = [];
    for (let i = t; i < Math.min(t + 10, TABLES); i++)
      ddl.push(`create table wide.t_${String(i).padStart(4, '0')} (${columns.join(', ')});`);
    await pg.query(ddl.join('\n'));
  }
  await pg.admin('vacuum analyze', [], pg.database);
  console.log(
    `Estate: ${TABLES} tables x ${COLUMNS} columns built in ${((performance.now() - built) / 1000).toFixed(1)} s`,
  );

  for (const budget of ['Infinity', '80000', 'default', '5000']) {
    const out = join(dir, `out-${budget}.jsonl`);
    const file = join(dir, `wide-${budget}.yaml`);
    writeFileSync(
      file,
      `source:
  type: postgres
  serviceName: wide
  serviceConnection:
    config:
      type: Postgres
      hostPort: ${pg.hostPort}
      username: ${pg.user}
      authType:
        password: \${BENCH_PG_PASSWORD}
      database: ${pg.database}
  sourceConfig:
    config:
      type: DatabaseMetadata
      markDeletedTables: false
      schemaFilterPattern:
        includes: ['^wide$']
sink:
  type: file
  config:
    filename: ${out}
workflowConfig:
  loggerLevel: WARN
  openMetadataServerConfig:
    hostPort: http://unused.invalid/api
    authProvider: no-auth
  distributedExecution:
    enabled: true
    orchestrator: local
    parallelism: 1
    shardFactor: 1
    chunkSize: ${TABLES}
`,
    );
    const result = await new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
      stdout: string;
      stderr: string;
      oom: boolean;
      seconds: number;
    }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', join(HERE, 'wide-tables-run.ts'), file, budget],
        { cwd: ROOT, env: { ...process.env, BENCH_PG_PASSWORD: pg.password }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      let oom = false;
      const spawned = performance.now();
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => {
        const text = c.toString();
        oom ||= /heap out of memory|Reached heap limit/i.test(text);
        stderr = (stderr + text).slice(-3000);
      });
      child.on('error', reject);
      child.on('exit', (code, signal) =>
        resolve({ code, signal, stdout, stderr, oom, seconds: (performance.now() - spawned) / 1000 }),
      );
    });
    const columnBudget = budget === 'default' ? BATCH_COLUMN_BUDGET : Number(budget);
    const label =
      columnBudget === Infinity
        ? `chunkSize ${TABLES}, no column budget (one batch of ${TABLES * COLUMNS} columns)`
        : `chunkSize ${TABLES}, column budget ${columnBudget}${budget === 'default' ? ' (default)' : ''} (batches of ${Math.floor(columnBudget / COLUMNS)} tables)`;
    const line = result.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
    if (!line) {
      const how = result.oom ? 'JavaScript heap out of memory' : `exit ${result.code ?? result.signal}`;
      console.log(`${label}: ${how} after ${result.seconds.toFixed(1)} s`);
      if (!result.oom) console.log(result.stderr);
      continue;
    }
    const r = JSON.parse(line.slice('BENCH_RESULT '.length)) as Record<string, number>;
    console.log(
      `${label}: exit ${result.code}, ${r.succeeded}/${r.entities} tables in ${r.seconds!.toFixed(1)} s, ` +
        `peak heap ${Math.round(r.peakHeapMb!)} MB of ${Math.round(r.heapLimitMb!)} MB, peak RSS ${Math.round(r.peakRssMb!)} MB, ` +
        `output ${Math.round(statSync(out).size / 2 ** 20)} MB`,
    );
  }
} finally {
  await pg.close();
  rmSync(dir, { recursive: true, force: true });
}
