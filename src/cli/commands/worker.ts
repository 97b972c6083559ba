/**
 * `argo-ingest worker discover | process | finalize`: the steps the WorkflowTemplate runs in its pods
 * (internal; the argument names come from src/runtime/worker-contract.ts, which the template uses too).
 */
import { Command, InvalidArgumentError } from 'commander';
import { withCancellation } from '../../runtime/cancellation.js';
import { createLogger } from '../../util/logger.js';
import { runWorkerStep, type WorkerInvocation } from '../../runtime/worker.js';
import { WORK_DIR, decodeNotIngested, type NotIngested } from '../../runtime/worker-contract.js';
import { CliError, EXIT_USAGE } from '../errors.js';

/** A whole number >= `min`, or a usage error naming the option. */
function wholeNumber(option: string, min: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
      throw new InvalidArgumentError(`${option} must be a whole number >= ${min}, not "${value}"`);
    }
    return Number(value);
  };
}

function notIngested(value: string): NotIngested {
  const report = decodeNotIngested(value);
  if (!report) {
    throw new InvalidArgumentError(
      '--not-ingested must be the JSON discover writes ({"count": N, "listed": [{"fqn", "problem"}]})',
    );
  }
  return report;
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
      'The steps of the WorkflowTemplate, run inside the worker image: discover, then process once per ' +
        'shard, then finalize. Not meant to be run by hand: `argo-ingest run` runs the same code locally, ' +
        'and `argo-ingest synth` writes the template that calls these commands.',
    )
    .addHelpText(
      'after',
      '\nWhat the WorkflowTemplate runs in its pods:\n' +
        '  argo-ingest worker discover --config /etc/argo-ingest/config.yaml\n' +
        '  argo-ingest worker process --config /etc/argo-ingest/config.yaml --shard 3 --shards 60\n' +
        '  argo-ingest worker finalize --config /etc/argo-ingest/config.yaml \\\n' +
        '      --results-file /tmp/argo-ingest/results.json --entities 5400 --shards 60',
    );
  worker
    .command('discover')
    .summary('ensure parent entities, count entities, choose the shard count')
    .description(
      'Create the parent entities (service, databases, schemas) in OpenMetadata, count the entities, choose ' +
        'the shard count K, and write K and the count to the files `shards` and `entities` in --output-dir.',
    )
    .requiredOption('--config <file>', 'ingestion config YAML')
    .option('--output-dir <dir>', 'where to write the shards and entities files', WORK_DIR)
    .action((o: { config: string; outputDir: string }) =>
      execute({ step: 'discover', config: o.config, outputDir: o.outputDir }),
    );
  worker
    .command('process')
    .summary('process one shard; write result.json and N/M progress')
    .description(
      'List the entities again, keep those of shard --shard (FNV-1a of the FQN mod --shards), upsert them ' +
        'in batches, and write result.json to --output-dir and N/M progress to $ARGO_PROGRESS_FILE. Exits 0 ' +
        'when only some entities failed; non-zero when the shard could not run, so that Argo retries the pod.',
    )
    .requiredOption('--config <file>', 'ingestion config YAML')
    .requiredOption('--shard <i>', '0-based shard number', wholeNumber('--shard', 0))
    .requiredOption('--shards <k>', 'shard count, as discover chose it', wholeNumber('--shards', 1))
    .option('--output-dir <dir>', 'where to write result.json', WORK_DIR)
    .action((o: { config: string; shard: number; shards: number; outputDir: string }) =>
      execute({ step: 'process', config: o.config, shard: o.shard, shards: o.shards, outputDir: o.outputDir }),
    );
  worker
    .command('finalize')
    .summary('aggregate shard results, apply successThreshold, mark deleted entities')
    .description(
      'Add up the shard results, print the summary, exit 1 under workflowConfig.successThreshold, and ' +
        'mark deleted the entities the source no longer has (only after a complete, failure-free run).',
    )
    .requiredOption('--config <file>', 'ingestion config YAML')
    .option('--results-file <file>', "file holding the JSON list of the shards' results (what the template passes)")
    .option('--results <json>', 'the JSON list itself, instead of --results-file')
    .requiredOption('--entities <n>', 'entity count discover reported', wholeNumber('--entities', 0))
    .option('--shards <k>', 'shard count discover chose; shards without a result are named', wholeNumber('--shards', 1))
    .option(
      '--not-ingested <json>',
      "discover's report of entities not ingested for their names ({count, listed}), for the summary",
      notIngested,
    )
    .action(
      (o: {
        config: string;
        results?: string;
        resultsFile?: string;
        entities: number;
        shards?: number;
        notIngested?: NotIngested;
      }) => {
        if ((o.results === undefined) === (o.resultsFile === undefined)) {
          throw new CliError('worker finalize needs exactly one of --results-file FILE or --results JSON', EXIT_USAGE);
        }
        return execute({
          step: 'finalize',
          config: o.config,
          results: o.results !== undefined ? { json: o.results } : { file: o.resultsFile! },
          entities: o.entities,
          ...(o.shards !== undefined ? { shards: o.shards } : {}),
          ...(o.notIngested !== undefined ? { notIngested: o.notIngested } : {}),
        });
      },
    );
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
