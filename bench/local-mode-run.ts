/**
 * One benchmark run, in its own process so its CPU time and peak RSS are the worker's alone (the
 * OpenMetadata test server and PostgreSQL are other processes): `argo-ingest run`'s in-process path on
 * the config given as argv[2] (${VAR}s from the environment), quiet, then one `BENCH_RESULT {json}` line
 * on stdout.
 */
import { loadavg } from 'node:os';
import { loadConfigFile, resolveConfig } from '../src/config/load.js';
import { createLogger } from '../src/util/logger.js';
import { runInProcess } from '../src/runtime/run.js';
import { chooseShardCount } from '../src/runtime/shards.js';
import { findConnector } from '../src/sources/registry.js';

const file = process.argv[2];
if (!file) throw new Error('usage: local-mode-run.ts <config.yaml>');
const config = resolveConfig(loadConfigFile(file), process.env);
// The connector's driver modules load lazily on the first run; load them now so that, as the CPU figure
// below says, module loading stays out of the run's time.
await findConnector(config.source.type)?.load();
const started = performance.now();
const cpuAtStart = process.cpuUsage();
const report = await runInProcess(config, {
  mode: 'local',
  logger: createLogger('WARN'),
  write: () => undefined,
  progress: { start() {}, tick() {}, finish() {} },
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuAtStart);
process.stdout.write(
  `BENCH_RESULT ${JSON.stringify({
    entities: report.totals.discovered,
    succeeded: report.totals.succeeded,
    failed: report.totals.failed,
    // The shard count discover chose (the same function, the same inputs).
    shards: chooseShardCount(report.totals.discovered, config.workflowConfig.distributedExecution),
    seconds,
    // CPU of the run itself (module loading before it excluded).
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    // resourceUsage().maxRSS is in kilobytes.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    load: loadavg()[0],
  })}\n`,
);
