/**
 * One benchmark run, in its own process so its peak RSS is the worker's alone (the OpenMetadata test
 * server and PostgreSQL live in the parent): `argo-ingest run`'s in-process path on the config given
 * as argv[2] (${VAR}s from the environment), quiet, then one `BENCH_RESULT {json}` line on stdout.
 */
import { loadConfigFile, resolveConfig } from '../src/config/load.js';
import { createLogger } from '../src/runtime/logger.js';
import { runInProcess } from '../src/runtime/run.js';

const file = process.argv[2];
if (!file) throw new Error('usage: local-mode-run.ts <config.yaml>');
const config = resolveConfig(loadConfigFile(file), process.env);
const started = performance.now();
const cpuAtStart = process.cpuUsage();
const report = await runInProcess(config, {
  mode: 'local',
  logger: createLogger('WARN'),
  write: () => undefined,
  progress: { start() {}, tick() {}, finish() {} },
});
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `BENCH_RESULT ${JSON.stringify({
    entities: report.totals.discovered,
    succeeded: report.totals.succeeded,
    failed: report.totals.failed,
    seconds,
    // CPU of the run itself (module loading before it excluded).
    cpuSeconds: ((cpu) => (cpu.user + cpu.system) / 1e6)(process.cpuUsage(cpuAtStart)),
    // resourceUsage().maxRSS is in kilobytes.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
