/**
 * `argo-ingest worker discover | process | finalize`: the steps the WorkflowTemplate runs in its pods
 * (internal; the argument names come from src/runtime/worker-contract.ts, which the template uses too).
 */
import { Command, InvalidArgumentError } from 'commander';
import { withCancellation } from '../../runtime/cancellation.js';
import { createLogger } from '../../runtime/logger.js';
import { runWorkerStep, type WorkerInvocation } from '../../runtime/worker.js';
import { WORK_DIR } from '../../runtime/worker-contract.js';

/** A whole number >= `min`, or a usage error naming the option. */
function wholeNumber(option: string, min: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
      throw new InvalidArgumentError(`${option} must be a whole number >= ${min}, not "${value}"`);
    }
    return Number(value);
  };
}

/** Declares the worker subcommands under `parent`; each parsed invocation goes to `execute`. */
export function defineWorkerCommands(
  parent: Command,
  execute: (invocation: WorkerInvocation) => Promise<void>,
): Command {
  const worker = parent
    .command('worker')
    .summary('internal: the discover / process / finalize steps Argo runs in worker pods')
    .description(
      'The steps of the WorkflowTemplate, run inside the worker image. Not meant to be run by hand;\n' +
        '`argo-ingest run` runs the same code locally.',
    );
  worker
    .command('discover')
    .description('ensure parent entities, count entities, choose the shard count; write shards and entities files')
    .requiredOption('--config <file>', 'ingestion config YAML')
    .option('--output-dir <dir>', 'where to write the shards and entities files', WORK_DIR)
    .action((o: { config: string; outputDir: string }) =>
      execute({ step: 'discover', config: o.config, outputDir: o.outputDir }),
    );
  worker
    .command('process')
    .description('process one shard; write result.json and N/M to $ARGO_PROGRESS_FILE')
    .requiredOption('--config <file>', 'ingestion config YAML')
    .requiredOption('--shard <i>', '0-based shard number', wholeNumber('--shard', 0))
    .requiredOption('--shards <k>', 'shard count, as discover chose it', wholeNumber('--shards', 1))
    .option('--output-dir <dir>', 'where to write result.json', WORK_DIR)
    .action((o: { config: string; shard: number; shards: number; outputDir: string }) =>
      execute({ step: 'process', config: o.config, shard: o.shard, shards: o.shards, outputDir: o.outputDir }),
    );
  worker
    .command('finalize')
    .description('aggregate shard results, apply successThreshold, mark deleted entities')
    .requiredOption('--config <file>', 'ingestion config YAML')
    .option('--results-file <file>', "file holding the JSON list of the shards' results (what the template passes)")
    .option('--results <json>', 'the JSON list itself, instead of --results-file')
    .requiredOption('--entities <n>', 'entity count discover reported', wholeNumber('--entities', 0))
    .action((o: { config: string; results?: string; resultsFile?: string; entities: number }) => {
      if ((o.results === undefined) === (o.resultsFile === undefined)) {
        throw new InvalidArgumentError('finalize needs exactly one of --results-file FILE or --results JSON');
      }
      return execute({
        step: 'finalize',
        config: o.config,
        results: o.results !== undefined ? { json: o.results } : { file: o.resultsFile! },
        entities: o.entities,
      });
    });
  return worker;
}

/**
 * Parses a worker command line (`worker process --config ...`, as the template's container args) into
 * the invocation it would run, without running it. Throws on arguments the command rejects.
 */
export async function parseWorkerArgs(args: readonly string[]): Promise<WorkerInvocation> {
  let parsed: WorkerInvocation | undefined;
  const program = new Command('argo-ingest').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  defineWorkerCommands(program, async (invocation) => {
    parsed = invocation;
  });
  program.commands.forEach(function silence(command: Command): void {
    command.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    command.commands.forEach(silence);
  });
  await program.parseAsync([...args], { from: 'user' });
  if (!parsed) throw new Error(`not a worker step: ${args.join(' ')}`);
  return parsed;
}

export function register(program: Command): void {
  defineWorkerCommands(program, async (invocation) => {
    // The logger level is the config's; until the config is read, INFO.
    await withCancellation(createLogger('INFO'), (signal) => runWorkerStep(invocation, { signal }));
  });
}
