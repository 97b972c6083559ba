/**
 * One run of the wide-tables bench, in its own process (started with --max-old-space-size by
 * wide-tables.bench.ts): `argo-ingest run`'s in-process path on the config given as argv[2], with the
 * batch column budget argv[3] (`default` or a number; `Infinity` cuts batches by chunkSize alone, as
 * before). Samples the heap every 20 ms and prints one `BENCH_RESULT {json}` line.
 */
import { getHeapStatistics } from 'node:v8';
import { loadConfigFile, resolveConfig } from '../src/config/load.js';
import { createLogger } from '../src/util/logger.js';
import { runLocal } from '../src/runtime/local.js';
import { openRuntime } from '../src/runtime/open.js';

const [file, budgetArg = 'default'] = process.argv.slice(2);
if (!file) throw new Error('usage: wide-tables-run.ts <config.yaml> [columnBudget|default]');
const config = resolveConfig(loadConfigFile(file), process.env);
const logger = createLogger('WARN');
let peakHeap = 0;
const sampler = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 20);
const started = performance.now();
const opened = await openRuntime(config, { logger, concurrency: 1 });
try {
  const report = await runLocal(
    { config, source: opened.source, sink: opened.sink, logger },
    {
      mode: 'local',
      progress: { start() {}, tick() {}, finish() {} },
      ...(budgetArg === 'default' ? {} : { columnBudget: Number(budgetArg) }),
    },
  );
  clearInterval(sampler);
  process.stdout.write(
    `BENCH_RESULT ${JSON.stringify({
      entities: report.totals.discovered,
      succeeded: report.totals.succeeded,
      failed: report.totals.failed,
      seconds: (performance.now() - started) / 1000,
      peakHeapMb: Math.max(peakHeap, process.memoryUsage().heapUsed) / 2 ** 20,
      heapLimitMb: getHeapStatistics().heap_size_limit / 2 ** 20,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
} finally {
  await opened.close();
}
