/**
 * `argo-ingest run` with `orchestrator: argo`: submit the pipeline to the cluster and, when asked, wait
 * for it. The CLI (src/cli/commands/run.ts) loads this module only for Argo runs.
 */
import type { LoadedConfig } from '../config/load.js';
import { resolveConfig } from '../config/load.js';
import { synthPipelineObjects } from '../manifests/synth.js';
import { withCancellation } from '../runtime/cancellation.js';
import { fallbackMessage } from '../runtime/local.js';
import type { Logger } from '../runtime/logger.js';
import { runInProcess } from '../runtime/run.js';
import { explainKubeError } from './errors.js';
import { supportsDistributed, type CreateSource } from './fallback.js';
import { followLines } from './follow.js';
import { createKubeClient } from './kube-client.js';
import { loadKubeConfig } from './kubeconfig.js';
import { submitPipeline } from './submit.js';
import { waitForWorkflow, type WaitOptions } from './wait.js';

export { WAIT_EXIT } from './wait.js';

const DISTRIBUTED_MESSAGE = 'Executing workflow in DISTRIBUTED mode';

/**
 * Testing and embedding hooks passed on to waitForWorkflow: Ctrl-C signal (default: SIGINT/SIGTERM),
 * poll interval, clock, sleep, output.
 */
type WaitHooks = Pick<WaitOptions, 'signal' | 'pollMs' | 'now' | 'sleep' | 'stream'>;

export interface RunDistributedOptions extends WaitHooks {
  /** kubeconfig context. @default the kubeconfig's current-context */
  readonly context?: string;
  /** Overrides distributedExecution.namespace. */
  readonly namespace?: string;
  /** Wait for the workflow to finish. @default distributedExecution.waitForCompletion */
  readonly wait?: boolean;
  readonly logger: Logger;
  /** A kubeconfig file. @default KUBECONFIG, ~/.kube/config, in-cluster */
  readonly kubeconfig?: string;
  /** Builds the source to decide between distributed and sequential. @default the connector catalog */
  readonly createSource?: CreateSource;
  /** Runs a non-discoverable source sequentially here. @default runInProcess in SEQUENTIAL mode */
  readonly runSequential?: (loaded: LoadedConfig, logger: Logger) => Promise<void>;
}

/**
 * Submits the pipeline as a Workflow (after applying its ConfigMap, RBAC and WorkflowTemplate) and,
 * with `wait`, follows it. Resolves to the exit code; throws ClusterError (user-facing) when the
 * submission fails, with the cause and the fix.
 */
export async function runDistributed(loaded: LoadedConfig, options: RunDistributedOptions): Promise<number> {
  const { logger } = options;
  const dist = loaded.config.workflowConfig.distributedExecution;
  if (!(await supportsDistributed(loaded, options.createSource))) {
    logger.info(fallbackMessage(loaded.config.source.type));
    await (options.runSequential ?? runSequentially)(loaded, logger);
    return 0;
  }

  // Synthesize first: a config that cannot become manifests fails before the cluster is contacted.
  const objects = synthPipelineObjects(loaded, options.namespace !== undefined ? { namespace: options.namespace } : {});
  const namespace = options.namespace ?? dist.namespace;
  const kube = loadKubeConfig({
    ...(options.kubeconfig !== undefined ? { kubeconfig: options.kubeconfig } : {}),
    ...(options.context !== undefined ? { context: options.context } : {}),
  });
  const client = createKubeClient(kube.kubeConfig);
  logger.info(DISTRIBUTED_MESSAGE);
  logger.info(`Submitting to ${kube.server} (context "${kube.context}", namespace "${namespace}")`);

  let submission;
  try {
    submission = await submitPipeline(client, objects, {
      namespace,
      ...(dist.serviceAccount !== undefined ? { existingServiceAccount: dist.serviceAccount } : {}),
    });
  } catch (error) {
    throw explainKubeError(error, { server: kube.server, context: kube.context, namespace });
  }
  for (const object of submission.applied) logger.info(`${object.kind}/${object.name} ${object.action}`);
  if (dist.schedule !== undefined) {
    logger.info(`CronWorkflow ${submission.template} runs it on schedule "${dist.schedule}" (${dist.timezone})`);
  }
  const ref = { namespace, name: submission.workflow };
  logger.info(`Workflow submitted: ${namespace}/${submission.workflow} (from WorkflowTemplate ${submission.template})`);
  for (const line of followLines(ref, dist.argoServerUrl)) logger.info(line);

  const wait = options.wait ?? dist.waitForCompletion;
  if (!wait) {
    logger.info('Not waiting for completion (distributedExecution.waitForCompletion is false; use --wait to wait)');
    return 0;
  }
  const waitOptions = {
    logger,
    timeoutSeconds: dist.timeoutSeconds,
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.sleep !== undefined ? { sleep: options.sleep } : {}),
    ...(options.stream !== undefined ? { stream: options.stream } : {}),
  };
  if (options.signal !== undefined) return waitForWorkflow(client, ref, { ...waitOptions, signal: options.signal });
  // Ctrl-C / SIGTERM stop the wait (the Workflow keeps running); a second signal exits at once.
  return withCancellation(logger, (signal) => waitForWorkflow(client, ref, { ...waitOptions, signal }));
}

async function runSequentially(loaded: LoadedConfig, logger: Logger): Promise<void> {
  const config = resolveConfig(loaded, process.env);
  await withCancellation(logger, (signal) => runInProcess(config, { mode: 'sequential', logger, signal }));
}
