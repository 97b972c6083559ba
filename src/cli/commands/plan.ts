/**
 * `argo-ingest plan -c FILE`: discovery only (no OpenMetadata writes), then entities per type, the shard
 * count, pods, and the time and cost estimate of a distributed run compared with a sequential one.
 */
import { memoryWarnings } from '../../runtime/memory.js';
import type { Command } from 'commander';
import { loadConfigFile, resolveConfig, type LoadedConfig } from '../../config/load.js';
import type { IngestionConfig } from '../../config/schema.js';
import { collectVariables } from '../../config/substitute.js';
import { formatEstimate, estimateRun, DEFAULT_SAMPLE, type EstimateReport } from '../../cluster/estimate.js';
import { withCancellation } from '../../runtime/cancellation.js';
import { createLogger } from '../../util/logger.js';
import { createSource } from '../../sources/registry.js';
import { CliError, EXIT_USAGE } from '../errors.js';

interface PlanCliOptions {
  readonly config: string;
  readonly sample?: string;
  readonly secondsPerEntity?: string;
  readonly podCostPerHour?: string;
  readonly output: string;
}

export function register(program: Command): void {
  program
    .command('plan')
    .summary('discover entities and estimate shards, pods, time and cost')
    .description(
      // Lines stay under 80 columns: commander re-wraps longer ones.
      'Connect to the source and run discovery only (nothing is written to\n' +
        'OpenMetadata, nothing is submitted), then print the entities per type, the\n' +
        'shard count, the pods, and an estimate of a distributed run next to a\n' +
        'sequential one:\n' +
        '  time = (entities / pods) x time per entity   pods = min(parallelism, shards)\n' +
        '  cost = pods x hours x pod cost per hour\n' +
        'The time per entity is measured by processing a sample of the discovered\n' +
        'entities (into no sink), or given with --seconds-per-entity.\n' +
        "Only the source's ${VAR}s must be set in the environment.",
    )
    .requiredOption('-c, --config <file>', 'ingestion config YAML')
    .option('--sample <n>', `entities to process for measuring the time per entity (default: ${DEFAULT_SAMPLE})`)
    .option('--seconds-per-entity <s>', 'time per entity in seconds (default: measured on the sample)')
    .option(
      '--pod-cost-per-hour <price>',
      'price of one worker pod per hour (e.g. 0.10), for the cost estimate (default: no cost shown)',
    )
    .option('-o, --output <format>', 'text, or json for scripts', 'text')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  argo-ingest plan -c examples/postgres-distributed.yaml --pod-cost-per-hour 0.10\n' +
        '  argo-ingest plan -c pipeline.yaml --seconds-per-entity 2 --output json | jq .distributed\n\n' +
        'Exit status: 0 planned; 1 the source could not be reached or refused the\n' +
        'credentials; 2 a bad command line or config.',
    )
    .action(async (options: PlanCliOptions) => {
      if (options.output !== 'text' && options.output !== 'json') {
        throw new CliError(`--output must be "text" or "json", not "${options.output}"`, EXIT_USAGE);
      }
      const sample = options.sample === undefined ? undefined : number('--sample', options.sample, { integer: true });
      const secondsPerEntity =
        options.secondsPerEntity === undefined ? undefined : number('--seconds-per-entity', options.secondsPerEntity);
      const podCostPerHour =
        options.podCostPerHour === undefined ? undefined : number('--pod-cost-per-hour', options.podCostPerHour);
      if (secondsPerEntity === undefined && sample === 0) {
        throw new CliError(
          '--sample 0 measures nothing; give --seconds-per-entity S or a sample of 1 or more',
          EXIT_USAGE,
        );
      }

      const loaded = loadConfigFile(options.config);
      const config = resolveForPlan(loaded);
      const logger = createLogger(config.workflowConfig.loggerLevel);
      const report = await withCancellation(logger, async (signal): Promise<EstimateReport> => {
        const source = await createSource(config, { logger, signal, concurrency: 1 });
        try {
          await source.testConnection();
          return await estimateRun(config, source, {
            ...(sample !== undefined ? { sample } : {}),
            ...(secondsPerEntity !== undefined ? { secondsPerEntity } : {}),
            ...(podCostPerHour !== undefined ? { podCostPerHour } : {}),
            signal,
          });
        } finally {
          await source.close();
        }
      });
      process.stdout.write(
        options.output === 'json'
          ? `${JSON.stringify(toJson(report), null, 2)}\n`
          : formatEstimate(report, loaded.file),
      );
      // Settings the pods' memory limit cannot hold (wide tables): said on stderr, so JSON stays clean.
      for (const warning of memoryWarnings(config.workflowConfig.distributedExecution)) {
        process.stderr.write(`warning: ${warning}\n`);
      }
    });
}

/** A non-negative number from a flag, or a usage error naming the flag. */
function number(flag: string, text: string, { integer = false } = {}): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new CliError(`${flag} must be a ${integer ? 'whole ' : ''}number of 0 or more, not "${text}"`, EXIT_USAGE);
  }
  return value;
}

/**
 * Planning talks to the source only: a variable used outside `source` (the OpenMetadata token, say) need
 * not be set, and gets a stand-in that is never sent anywhere.
 */
function resolveForPlan(loaded: LoadedConfig): IngestionConfig {
  const sourceVariables = new Set(collectVariables((loaded.raw as { source?: unknown }).source));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const variable of loaded.variables) {
    if (env[variable] === undefined && !sourceVariables.has(variable))
      env[variable] = 'http://unused-by-plan.invalid/api';
  }
  return resolveConfig(loaded, env);
}

/** JSON with explicit nulls where a value is unknown (no pod price). */
function toJson(report: EstimateReport): unknown {
  const estimate = (e: EstimateReport['distributed']) => ({ ...e, cost: e.cost ?? null });
  return {
    ...report,
    podCostPerHour: report.podCostPerHour ?? null,
    distributed: estimate(report.distributed),
    sequential: estimate(report.sequential),
  };
}
