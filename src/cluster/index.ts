/**
 * `argo-ingest run` with `orchestrator: argo`: submit the pipeline to the cluster and, when asked, wait
 * for it. The CLI (src/cli/commands/run.ts) loads this module only for Argo runs.
 */
import type { LoadedConfig } from '../config/load.js';
import { synthPipelineObjects } from '../manifests/synth.js';
import { withCancellation } from '../runtime/cancellation.js';
import type { Logger } from '../util/logger.js';
import { clusterError, explainKubeError } from './errors.js';
import { ProxySettingError } from './proxy.js';
import { followLines } from './follow.js';
import { createKubeClient } from './kube-client.js';
import { loadKubeConfig, type LoadedKubeConfig } from './kubeconfig.js';
import { submitPipeline } from './submit.js';
import { waitForWorkflow, type WaitOptions } from './wait.js';

export { WAIT_EXIT } from './wait.js';
export { ClusterError } from './errors.js';

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
  /** Apply nothing; check the template in the cluster and create the Workflow (GitOps). @default false */
  readonly noApply?: boolean;
  /** An exec credential plugin taking longer fails. @default 60 s */
  readonly execTimeoutMs?: number;
  /** KUBECONFIG, HOME, KUBERNETES_SERVICE_HOST/PORT, the exec plugin's environment. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Where a pod's ServiceAccount token is mounted. @default /var/run/secrets/kubernetes.io/serviceaccount */
  readonly inClusterDir?: string;
}

/**
 * Submits the pipeline as a Workflow (after applying its ConfigMap, RBAC and WorkflowTemplate) and,
 * with `wait`, follows it. Resolves to the exit code; throws ClusterError (user-facing) when the
 * submission fails, with the cause and the fix.
 */
export async function runDistributed(loaded: LoadedConfig, options: RunDistributedOptions): Promise<number> {
  const { logger } = options;
  const dist = loaded.config.workflowConfig.distributedExecution;
  // Synthesize first: a config that cannot become manifests fails before the cluster is contacted.
  synthPipelineObjects(loaded, options.namespace !== undefined ? { namespace: options.namespace } : {});
  const namespace = options.namespace ?? dist.namespace;
  const kube = loadKubeConfig({
    ...(options.kubeconfig !== undefined ? { kubeconfig: options.kubeconfig } : {}),
    ...(options.context !== undefined ? { context: options.context } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
    ...(options.inClusterDir !== undefined ? { inClusterDir: options.inClusterDir } : {}),
  });
  // Ctrl-C / SIGTERM end a running exec credential plugin and stop the wait (the Workflow keeps
  // running); a second signal exits at once.
  if (options.signal !== undefined) return submitAndWait(loaded, options, kube, namespace, options.signal);
  return withCancellation(logger, (signal) => submitAndWait(loaded, options, kube, namespace, signal));
}

async function submitAndWait(
  loaded: LoadedConfig,
  options: RunDistributedOptions,
  kube: LoadedKubeConfig,
  namespace: string,
  signal: AbortSignal,
): Promise<number> {
  const { logger } = options;
  const dist = loaded.config.workflowConfig.distributedExecution;
  const objects = synthPipelineObjects(loaded, options.namespace !== undefined ? { namespace: options.namespace } : {});
  let client;
  try {
    client = createKubeClient(kube, {
      signal,
      ...(options.execTimeoutMs !== undefined ? { execTimeoutMs: options.execTimeoutMs } : {}),
      ...(options.env !== undefined ? { env: options.env } : {}),
    });
  } catch (error) {
    if (!(error instanceof ProxySettingError)) throw error;
    throw clusterError(
      error.message,
      'set the cluster\'s proxy-url (or HTTPS_PROXY) to an http:// or https:// proxy, or remove it to connect directly; check with "kubectl cluster-info"',
      2,
    );
  }
  logger.info(DISTRIBUTED_MESSAGE);
  const via = client.proxy ? ` through the proxy ${client.proxy.display} (${client.proxy.source})` : '';
  const as = kube.user.impersonate ? ` as "${kube.user.impersonate.user}" (impersonated: the kubeconfig's "as")` : '';
  logger.info(`Submitting to ${kube.server}${via}${as} (context "${kube.context}", namespace "${namespace}")`);

  let submission;
  try {
    submission = await submitPipeline(client, objects, {
      namespace,
      ...(dist.serviceAccount !== undefined ? { existingServiceAccount: dist.serviceAccount } : {}),
      ...(options.noApply ? { noApply: true } : {}),
    });
  } catch (error) {
    throw explainKubeError(error, { server: kube.server, context: kube.context, namespace });
  }
  for (const object of submission.applied) logger.info(`${object.kind}/${object.name} ${object.action}`);
  if (submission.drift.length > 0) {
    logger.warn(
      `WorkflowTemplate ${submission.template} in the cluster differs from what this config synthesizes ` +
        `(${submission.drift.join(', ')}); the Workflow runs the cluster's version. Sync your GitOps ` +
        'repository with "argo-ingest synth", or run without --no-apply',
    );
  }
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
  return waitForWorkflow(client, ref, {
    logger,
    signal,
    timeoutSeconds: dist.timeoutSeconds,
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.sleep !== undefined ? { sleep: options.sleep } : {}),
    ...(options.stream !== undefined ? { stream: options.stream } : {}),
  });
}
