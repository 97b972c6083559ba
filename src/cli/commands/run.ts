/**
 * `argo-ingest run -c FILE`: the seed's `metadata ingest -c FILE`. Sequential when distributed execution
 * is off (or the source cannot discover), in-process shards when `orchestrator: local`, a Workflow on the
 * cluster when `orchestrator: argo` (src/cluster, loaded only then).
 */
import type { Command } from 'commander';
import { loadConfigFile, resolveConfig } from '../../config/load.js';
import { createLogger } from '../../runtime/logger.js';
import { inProcessMode, runInProcess } from '../../runtime/run.js';
import { CliError } from '../errors.js';
import { withCancellation } from '../../runtime/cancellation.js';

interface RunOptions {
  readonly config: string;
  readonly context?: string;
  readonly namespace?: string;
  /** true: --wait, false: --no-wait, undefined: workflowConfig.distributedExecution.waitForCompletion. */
  readonly wait?: boolean;
}

export function register(program: Command): void {
  program
    .command('run')
    .summary('run an ingestion: sequentially, in local parallel shards, or on Argo Workflows')
    .description(
      'Run the ingestion a config describes (the seed\'s "metadata ingest -c FILE"):\n' +
        '  distributedExecution off or omitted  -> SEQUENTIAL mode, in this process\n' +
        '  orchestrator: local                  -> LOCAL mode, `parallelism` shards at once in this process\n' +
        '  orchestrator: argo                   -> submits a Workflow to the cluster (waits with --wait)\n' +
        '${VAR}s are taken from the environment.',
    )
    .requiredOption('-c, --config <file>', 'ingestion config YAML')
    .option('--context <name>', 'kubeconfig context (argo only)')
    .option('--namespace <namespace>', 'namespace to submit to (argo only; default: distributedExecution.namespace)')
    .option('--wait', 'wait for the Argo workflow to finish (default: distributedExecution.waitForCompletion)')
    .option('--no-wait', 'return once the Argo workflow is submitted')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  POSTGRES_PASSWORD=... OM_JWT_TOKEN=... argo-ingest run -c examples/postgres-local.yaml\n' +
        '  argo-ingest run -c examples/snowflake-distributed.yaml --context prod --wait\n\n' +
        'Exit status: 0 when the success rate reaches workflowConfig.successThreshold, 1 when it does not\n' +
        'or a server refused, 2 when the command line or config is wrong.',
    )
    .action(async (options: RunOptions) => {
      const loaded = loadConfigFile(options.config);
      const mode = inProcessMode(loaded.config);
      if (mode === undefined) {
        const logger = createLogger(loaded.config.workflowConfig.loggerLevel);
        // Loaded only for Argo runs: local runs never load @kubernetes/client-node.
        const { runDistributed, WAIT_EXIT } = await import('../../cluster/index.js');
        const code = await runDistributed(loaded, {
          ...(options.context !== undefined ? { context: options.context } : {}),
          ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
          ...(options.wait !== undefined ? { wait: options.wait } : {}),
          logger,
        });
        if (code === WAIT_EXIT.timeout || code === WAIT_EXIT.interrupted) {
          // The wait already said why it stopped (and that the workflow goes on); only the code is left.
          throw new CliError('', code);
        }
        if (code !== 0) throw new CliError('the Argo workflow did not succeed; see the messages above', code);
        return;
      }
      if (options.context !== undefined || options.namespace !== undefined) {
        throw new CliError(
          `--context and --namespace apply to orchestrator: argo only; this config runs in ${mode.toUpperCase()} mode`,
          2,
        );
      }
      const config = resolveConfig(loaded, process.env);
      const logger = createLogger(config.workflowConfig.loggerLevel);
      await withCancellation(logger, (signal) => runInProcess(config, { mode, logger, signal }));
    });
}
