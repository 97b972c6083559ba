/**
 * `argo-ingest run -c FILE`: the seed's `metadata ingest -c FILE`. Sequential when distributed execution
 * is off (or the source cannot discover), in-process shards when `orchestrator: local`, a Workflow on the
 * cluster when `orchestrator: argo` (src/cluster, loaded only then).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfigFile, resolveConfig } from '../../config/load.js';
import { createLogger } from '../../util/logger.js';
import { inProcessMode, runInProcess } from '../../runtime/run.js';
import { CliError } from '../errors.js';
import { parseNamespace } from '../options.js';
import { withCancellation } from '../../runtime/cancellation.js';

interface RunOptions {
  readonly config: string;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly namespace?: string;
  /** false with --no-apply. */
  readonly apply: boolean;
  readonly execTimeout?: number;
  /** true: --wait, false: --no-wait, undefined: workflowConfig.distributedExecution.waitForCompletion. */
  readonly wait?: boolean;
}

export function register(program: Command): void {
  program
    .command('run')
    .summary('run an ingestion: sequentially, in local parallel shards, or on Argo Workflows')
    .description(
      // Lines stay under 80 columns: commander re-wraps longer ones and breaks the table.
      'Ingest what a config describes (OpenMetadata\'s "metadata ingest -c FILE").\n' +
        'workflowConfig.distributedExecution picks the mode:\n' +
        '  omitted or enabled: false  SEQUENTIAL: one batch at a time, in-process\n' +
        '  orchestrator: local        LOCAL: `parallelism` shards at once, in-process\n' +
        '  orchestrator: argo         DISTRIBUTED: applies the manifests and submits a\n' +
        '                             Workflow to the cluster of your kubeconfig\n' +
        'In-process modes take every ${VAR} from the environment; Argo pods take them\n' +
        'from the Secret <name>-credentials.',
    )
    .requiredOption('-c, --config <file>', 'ingestion config YAML')
    .option('--context <name>', 'kubeconfig context (argo only; default: the current context)')
    .option('--kubeconfig <file>', 'kubeconfig file (argo only; default: KUBECONFIG, ~/.kube/config, in-cluster)')
    .option(
      '--no-apply',
      'argo only: apply nothing (GitOps applies dist/); check the WorkflowTemplate in the cluster and submit a Workflow from it, with only the submitter Role',
    )
    .option(
      '--exec-timeout <seconds>',
      'argo only: how long a kubeconfig exec credential plugin may take (default: 60)',
      parseSeconds,
    )
    .option(
      '--namespace <namespace>',
      'namespace to submit to (argo only; default: distributedExecution.namespace)',
      parseNamespace,
    )
    .option('--wait', 'wait for the Argo workflow to finish (default: distributedExecution.waitForCompletion)')
    .option('--no-wait', 'return once the Argo workflow is submitted')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  export POSTGRES_HOST_PORT=localhost:5432 POSTGRES_USER=ingest POSTGRES_PASSWORD=... \\\n' +
        '         POSTGRES_DATABASE=shop OPENMETADATA_HOST_PORT=http://localhost:8585/api OM_JWT_TOKEN=...\n' +
        '  argo-ingest run -c examples/postgres-local.yaml\n' +
        '  argo-ingest run -c examples/snowflake-distributed.yaml --context prod --wait\n' +
        '  argo-ingest run -c examples/snowflake-distributed.yaml --no-apply   # GitOps applied dist/\n\n' +
        'Exit status: 0 when the success rate reaches workflowConfig.successThreshold (Argo: the\n' +
        'Workflow succeeded, or was submitted without --wait); 1 when it does not, or a server\n' +
        'refused; 2 when the command line or config is wrong; with --wait, 124 when timeoutSeconds\n' +
        'passed and 130 on Ctrl-C (the Workflow keeps running).',
    )
    .action(async (options: RunOptions) => {
      const loaded = loadConfigFile(options.config);
      const mode = inProcessMode(loaded.config);
      if (mode === undefined) {
        const logger = createLogger(loaded.config.workflowConfig.loggerLevel);
        // Loaded only for Argo runs: local runs never load the Kubernetes client.
        const { runDistributed, WAIT_EXIT, ClusterError } = await import('../../cluster/index.js');
        let code: number;
        try {
          code = await runDistributed(loaded, {
            ...(options.context !== undefined ? { context: options.context } : {}),
            ...(options.kubeconfig !== undefined ? { kubeconfig: options.kubeconfig } : {}),
            ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
            ...(options.wait !== undefined ? { wait: options.wait } : {}),
            ...(!options.apply ? { noApply: true } : {}),
            ...(options.execTimeout !== undefined ? { execTimeoutMs: options.execTimeout * 1000 } : {}),
            logger,
          });
        } catch (error) {
          // A mistyped --context or a broken kubeconfig is a command-line error (exit 2).
          if (error instanceof ClusterError) throw new CliError(error.message, error.exitCode);
          throw error;
        }
        if (code === WAIT_EXIT.timeout || code === WAIT_EXIT.interrupted) {
          // The wait already said why it stopped (and that the workflow goes on); only the code is left.
          throw new CliError('', code);
        }
        if (code !== 0) throw new CliError('the Argo workflow did not succeed; see the messages above', code);
        return;
      }
      const argoOnly = [
        options.context !== undefined ? '--context' : undefined,
        options.kubeconfig !== undefined ? '--kubeconfig' : undefined,
        !options.apply ? '--no-apply' : undefined,
        options.execTimeout !== undefined ? '--exec-timeout' : undefined,
        options.namespace !== undefined ? '--namespace' : undefined,
        options.wait === true ? '--wait' : options.wait === false ? '--no-wait' : undefined,
      ].filter((flag) => flag !== undefined);
      if (argoOnly.length > 0) {
        throw new CliError(
          `${argoOnly.join(', ')}: for orchestrator: argo only; this config runs in ${mode.toUpperCase()} mode ` +
            '(set workflowConfig.distributedExecution.orchestrator: argo, or drop the option)',
          2,
        );
      }
      const config = resolveConfig(loaded, process.env);
      const logger = createLogger(config.workflowConfig.loggerLevel);
      await withCancellation(logger, (signal) => runInProcess(config, { mode, logger, signal }));
    });
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new InvalidArgumentError('must be a number of seconds between 0 and 3600');
  }
  return seconds;
}
