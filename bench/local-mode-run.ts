/**
 * One benchmark run, in its own process so its CPU time and peak RSS are the worker's alone (the
 * OpenMetadata test server and PostgreSQL are other processes): `argo-ingest run`'s in-process path on
 * the config given as argv[2] (${VAR}s from the environment), quiet, then one `BENCH_RESULT {json}` line
 * on stdout.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';

// BENCH_PRODUCT (set by the harness): `lib` loads the compiled code users run, `src` the TypeScript.
const base = process.env.BENCH_PRODUCT === 'src' ? '../src' : '../lib/src';
const { loadConfigFile, resolveConfig } = (await import(
  `${base}/config/load.js`
)) as typeof import('../src/config/load.js');
const { createLogger } = (await import(`${base}/util/logger.js`)) as typeof import('../src/util/logger.js');
const { runInProcess } = (await import(`${base}/runtime/run.js`)) as typeof import('../src/runtime/run.js');
const { chooseShardCount } = (await import(`${base}/runtime/shards.js`)) as typeof import('../src/runtime/shards.js');
const { findConnector } = (await import(`${base}/sources/registry.js`)) as typeof import('../src/sources/registry.js');

const file = process.argv[2];
if (!file) throw new Error('usage: local-mode-run.ts <config.yaml>');
const config = resolveConfig(loadConfigFile(file), process.env);
// The connector's driver modules load lazily on the first run; load them now so that, as the CPU figure
// below says, module loading stays out of the run's time.
await findConnector(config.source.type)?.load();
// BENCH_RUN_PROFILE=<file>: a CPU profile of the timed run alone (start-up and module loading left out).
const profileFile = process.env.BENCH_RUN_PROFILE;
const inspector = profileFile ? new Session() : undefined;
if (inspector) {
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.start');
}
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
if (inspector && profileFile) {
  const { profile } = await inspector.post('Profiler.stop');
  writeFileSync(profileFile, JSON.stringify(profile));
}
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
