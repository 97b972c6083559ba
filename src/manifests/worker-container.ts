/**
 * The container every step runs: the worker image, the command line from the worker contract, the
 * config mounted read-only, Secrets as environment, resources and the restricted security context.
 */
import type * as wt from './generated/argo-wt.js';
import {
  WorkflowTemplateSpecTemplatesContainerResourcesLimits as Limit,
  WorkflowTemplateSpecTemplatesContainerResourcesRequests as Request,
} from './generated/argo-wt.js';
import { WORKER_BINARY } from '../runtime/worker-contract.js';
import { containerSecurityContext, containerVolumeMounts } from './pod-security.js';
import type { PipelineSettings } from './settings.js';

/** A worker container running `argo-ingest <args>`. */
export function workerContainer(
  settings: PipelineSettings,
  args: readonly string[],
): wt.WorkflowTemplateSpecTemplatesContainer {
  const dist = settings.distributed;
  const env = settings.mappedVariables.map((v) => ({
    name: v.variable,
    valueFrom: { secretKeyRef: { name: v.secret, key: v.key } },
  }));
  return {
    image: dist.image,
    imagePullPolicy: dist.imagePullPolicy,
    command: [WORKER_BINARY],
    args: [...args],
    // Every variable not mapped elsewhere is a key of the pipeline's Secret; the runtime substitutes
    // `${VAR}` from the environment at start-up, so values never appear in the manifests.
    ...(settings.defaultSecretVariables.length > 0
      ? { envFrom: [{ secretRef: { name: settings.defaultSecret } }] }
      : {}),
    ...(env.length > 0 ? { env } : {}),
    resources: {
      requests: {
        cpu: Request.fromString(dist.resourceRequests.cpu),
        memory: Request.fromString(dist.resourceRequests.memory),
      },
      limits: {
        cpu: Limit.fromString(dist.resourceLimits.cpu),
        memory: Limit.fromString(dist.resourceLimits.memory),
      },
    },
    securityContext: containerSecurityContext(dist.runAsUser),
    volumeMounts: containerVolumeMounts(),
  };
}
