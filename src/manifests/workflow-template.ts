/**
 * The pipeline's WorkflowTemplate (DESIGN.md "Argo shape"): discover -> fan-out over shard numbers ->
 * finalize. Only small values travel between steps (the shard count, the entity count, one result line
 * of at most RESULT_MAX_BYTES per shard), so the template and the workflow status do not grow with the
 * number of entities.
 *
 * finalize must run after any mix of succeeded, failed, errored and lost shards, including none
 * succeeding; the choices below follow the Argo controller's source (same code at v3.6.19, v3.7.18,
 * v4.0.10 and v4.1.2), and src/emulate runs the template by the same rules. docs/manifests.md explains.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as wt from './generated/argo-wt.js';
import {
  OUTPUT_FILES,
  OUTPUT_PARAMETERS,
  RESULTS_FILE,
  RESULTS_ARTIFACT,
  discoverArgs,
  encodeNotIngested,
  finalizeArgs,
  processArgs,
} from '../runtime/worker-contract.js';
import type { PipelineConfigMap } from './config-map.js';
import { podSecurityContext, podVolumes } from './pod-security.js';
import { argoRetryStrategy } from './retry.js';
import type { PipelineSettings } from './settings.js';
import { workerContainer } from './worker-container.js';
import type { ServiceAccountReference } from './worker-rbac.js';

export interface IngestionWorkflowTemplateProps {
  /** The pipeline to run (image, parallelism, retry policy, resources, Secrets, ...). */
  readonly settings: PipelineSettings;
  /** The ConfigMap holding the pipeline's config, mounted read-only into every step. */
  readonly configMap: PipelineConfigMap;
  /** The ServiceAccount the workflow pods run as (`WorkerRbac.serviceAccount`). */
  readonly serviceAccount: ServiceAccountReference;
  /** The WorkflowTemplate's name. @default the pipeline's name */
  readonly name?: string;
}

/** Template and step names (all match Argo's `[a-zA-Z0-9][-a-zA-Z0-9]*`). */
export const TEMPLATE_NAMES = {
  entrypoint: 'ingest',
  discover: 'discover',
  process: 'process-shard',
  finalize: 'finalize',
} as const;
export const STEP_NAMES = { discover: 'discover', process: 'process', finalize: 'finalize' } as const;

/** Housekeeping defaults: keep failed pods for their logs; keep finished workflows a day (failed: a week). */
export const HOUSEKEEPING = {
  podGC: { strategy: wt.WorkflowTemplateSpecPodGcStrategy.ON_POD_SUCCESS },
  ttlStrategy: { secondsAfterSuccess: 86_400, secondsAfterFailure: 604_800 },
} as const;

/**
 * The pipeline's WorkflowTemplate: discover -> process-shard x K -> finalize, each step a worker pod with
 * the config mounted from `configMap`, running as `serviceAccount`.
 */
export class IngestionWorkflowTemplate extends Construct {
  /** The WorkflowTemplate of a pipeline is named like the pipeline. */
  static nameFor(pipeline: string): string {
    return pipeline;
  }

  readonly name: string;
  /** The WorkflowTemplate object (edit it through `apiObject.addJsonPatch`). */
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: IngestionWorkflowTemplateProps) {
    super(scope, id);
    const { settings } = props;
    const dist = settings.distributed;
    this.name = props.name ?? IngestionWorkflowTemplate.nameFor(settings.name);
    const labels = { ...settings.labels, 'app.kubernetes.io/component': 'workflow' };
    const retry = argoRetryStrategy(dist.retryPolicy, dist.argoVersion);
    const retryStrategy: wt.WorkflowTemplateSpecTemplatesRetryStrategy | undefined = retry && {
      limit: wt.WorkflowTemplateSpecTemplatesRetryStrategyLimit.fromNumber(retry.limit),
      retryPolicy: wt.WorkflowTemplateSpecTemplatesRetryStrategyRetryPolicy.ALWAYS,
      backoff: {
        duration: retry.backoff.duration,
        factor: wt.WorkflowTemplateSpecTemplatesRetryStrategyBackoffFactor.fromNumber(retry.backoff.factor),
        ...(retry.backoff.cap ? { cap: retry.backoff.cap } : {}),
      },
    };
    const discoverOutput = (name: string) => `{{steps.${STEP_NAMES.discover}.outputs.parameters.${name}}}`;
    const input = (name: string) => `{{inputs.parameters.${name}}}`;

    const entrypoint: wt.WorkflowTemplateSpecTemplates = {
      name: TEMPLATE_NAMES.entrypoint,
      // Argo has no parallelism on a step; it belongs on the template holding the fan-out (and the spec).
      parallelism: dist.parallelism,
      steps: [
        [{ name: STEP_NAMES.discover, template: TEMPLATE_NAMES.discover }],
        [
          {
            name: STEP_NAMES.process,
            template: TEMPLATE_NAMES.process,
            arguments: {
              parameters: [
                { name: 'shard', value: '{{item}}' },
                { name: 'shards', value: discoverOutput(OUTPUT_PARAMETERS.shards) },
              ],
            },
            // Shard numbers 0..K-1: K is a small number from discover, never a list of entities.
            withSequence: {
              count: wt.WorkflowTemplateSpecTemplatesStepsWithSequenceCount.fromString(
                discoverOutput(OUTPUT_PARAMETERS.shards),
              ),
            },
            // One failed shard must not stop its siblings, nor keep finalize from running. A pod that is
            // deleted, evicted, OOM-killed or never created ends in phase Error, not Failed, and
            // `continues()` (pkg/apis/workflow/v1alpha1/workflow_types.go) honours each phase only with
            // its own flag; executeStepGroup (workflow/controller/steps.go) fails the group otherwise.
            continueOn: { failed: true, error: true },
          },
        ],
        [
          {
            name: STEP_NAMES.finalize,
            template: TEMPLATE_NAMES.finalize,
            arguments: {
              parameters: [
                { name: 'entities', value: discoverOutput(OUTPUT_PARAMETERS.entities) },
                { name: 'shards', value: discoverOutput(OUTPUT_PARAMETERS.shards) },
                // Bounded (encodeNotIngested): a count and at most 5 names, for finalize's summary.
                { name: OUTPUT_PARAMETERS.notIngested, value: discoverOutput(OUTPUT_PARAMETERS.notIngested) },
              ],
              // `{{steps.process.outputs.parameters}}`, not `...parameters.result`: processAggregateNodeOutputs
              // (workflow/controller/operator.go) always sets the former (a JSON list of the output maps of
              // the items that Succeeded, `[]` when none did), but sets `...parameters.result` only when some
              // item succeeded; unresolved, it makes the step requeue until activeDeadlineSeconds
              // (resolveReferences, steps.go, v3.7.11+ / v4.0.2+) or reach finalize as literal text before.
              // A raw argument artifact puts the list in finalize's pod once: createWorkflowPod
              // (workflowpod.go) drops inputs.parameters from ARGO_TEMPLATE but keeps inputs.artifacts.
              artifacts: [
                {
                  name: RESULTS_ARTIFACT,
                  raw: { data: `{{steps.${STEP_NAMES.process}.outputs.parameters}}` },
                },
              ],
            },
          },
        ],
      ],
    };
    const discover: wt.WorkflowTemplateSpecTemplates = {
      name: TEMPLATE_NAMES.discover,
      container: workerContainer(settings, discoverArgs()),
      outputs: {
        parameters: [
          { name: OUTPUT_PARAMETERS.shards, valueFrom: { path: OUTPUT_FILES.shards } },
          { name: OUTPUT_PARAMETERS.entities, valueFrom: { path: OUTPUT_FILES.entities } },
          // With a default: an image older than this template writes no such file, and Argo fails a step
          // whose output file is missing unless valueFrom.default is set (saveParameters, workflow/executor/executor.go).
          {
            name: OUTPUT_PARAMETERS.notIngested,
            valueFrom: { path: OUTPUT_FILES.notIngested, default: encodeNotIngested({ count: 0, listed: [] }) },
          },
        ],
      },
      ...(retryStrategy ? { retryStrategy } : {}),
    };
    const processShard: wt.WorkflowTemplateSpecTemplates = {
      name: TEMPLATE_NAMES.process,
      inputs: { parameters: [{ name: 'shard' }, { name: 'shards' }] },
      container: workerContainer(settings, processArgs(input('shard'), input('shards'))),
      outputs: { parameters: [{ name: OUTPUT_PARAMETERS.result, valueFrom: { path: OUTPUT_FILES.result } }] },
      ...(retryStrategy ? { retryStrategy } : {}),
    };
    // finalize has no retryStrategy: its deliberate failure (successes under the threshold) is final.
    const finalize: wt.WorkflowTemplateSpecTemplates = {
      name: TEMPLATE_NAMES.finalize,
      inputs: {
        parameters: [{ name: 'entities' }, { name: 'shards' }, { name: OUTPUT_PARAMETERS.notIngested }],
        // The results reach finalize as a file in the work emptyDir (see RESULTS_FILE).
        artifacts: [{ name: RESULTS_ARTIFACT, path: RESULTS_FILE }],
      },
      container: workerContainer(
        settings,
        finalizeArgs(input('entities'), input('shards'), input(OUTPUT_PARAMETERS.notIngested)),
      ),
    };

    this.apiObject = new wt.WorkflowTemplate(this, 'Resource', {
      metadata: { name: this.name, namespace: settings.namespace, labels },
      spec: {
        entrypoint: TEMPLATE_NAMES.entrypoint,
        serviceAccountName: props.serviceAccount.name,
        parallelism: dist.parallelism,
        activeDeadlineSeconds: dist.timeoutSeconds,
        podGc: HOUSEKEEPING.podGC,
        ttlStrategy: HOUSEKEEPING.ttlStrategy,
        workflowMetadata: { labels },
        podMetadata: { labels },
        securityContext: podSecurityContext(dist.runAsUser),
        volumes: podVolumes(props.configMap.name),
        ...(Object.keys(dist.nodeSelector).length > 0 ? { nodeSelector: sortedRecord(dist.nodeSelector) } : {}),
        ...(dist.tolerations.length > 0 ? { tolerations: dist.tolerations.map((t) => ({ ...t })) } : {}),
        ...(dist.imagePullSecrets.length > 0
          ? { imagePullSecrets: dist.imagePullSecrets.map((name) => ({ name })) }
          : {}),
        templates: [entrypoint, discover, processShard, finalize],
      },
    });
  }
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
