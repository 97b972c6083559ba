/**
 * The pipeline's WorkflowTemplate (DESIGN.md "Argo shape"): discover -> fan-out over shard numbers ->
 * finalize. Only small values travel between steps (the shard count, the entity count, one small result
 * per shard), so the template and the workflow status do not grow with the number of entities.
 */
import { Construct } from 'constructs';
import * as wt from './generated/argo-wt.js';
import {
  OUTPUT_FILES,
  OUTPUT_PARAMETERS,
  RESULTS_FILE,
  discoverArgs,
  finalizeArgs,
  processArgs,
} from '../runtime/worker-contract.js';
import { PipelineConfigMap } from './config-map.js';
import { podSecurityContext, podVolumes } from './pod-security.js';
import { argoRetryStrategy } from './retry.js';
import type { PipelineSettings } from './settings.js';
import { workerContainer } from './worker-container.js';

export interface IngestionWorkflowTemplateProps {
  readonly settings: PipelineSettings;
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

export class IngestionWorkflowTemplate extends Construct {
  /** The WorkflowTemplate of a pipeline is named like the pipeline. */
  static nameFor(pipeline: string): string {
    return pipeline;
  }

  readonly name: string;

  constructor(scope: Construct, id: string, props: IngestionWorkflowTemplateProps) {
    super(scope, id);
    const { settings } = props;
    const dist = settings.distributed;
    this.name = IngestionWorkflowTemplate.nameFor(settings.name);
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
            // One failed shard must not stop its siblings; finalize sees the failure in the results.
            continueOn: { failed: true },
          },
        ],
        [
          {
            name: STEP_NAMES.finalize,
            template: TEMPLATE_NAMES.finalize,
            arguments: {
              parameters: [
                // Argo aggregates the fan-out's output parameters into one JSON list.
                {
                  name: 'results',
                  value: `{{steps.${STEP_NAMES.process}.outputs.parameters.${OUTPUT_PARAMETERS.result}}}`,
                },
                { name: 'entities', value: discoverOutput(OUTPUT_PARAMETERS.entities) },
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
        parameters: [{ name: 'results' }, { name: 'entities' }],
        // The results reach finalize as a file (see RESULTS_FILE): no argument-length limit.
        artifacts: [{ name: 'results', path: RESULTS_FILE, raw: { data: input('results') } }],
      },
      container: workerContainer(settings, finalizeArgs(input('entities'))),
    };

    new wt.WorkflowTemplate(this, 'Resource', {
      metadata: { name: this.name, namespace: settings.namespace, labels },
      spec: {
        entrypoint: TEMPLATE_NAMES.entrypoint,
        serviceAccountName: settings.serviceAccount,
        parallelism: dist.parallelism,
        activeDeadlineSeconds: dist.timeoutSeconds,
        podGc: HOUSEKEEPING.podGC,
        ttlStrategy: HOUSEKEEPING.ttlStrategy,
        workflowMetadata: { labels },
        podMetadata: { labels },
        securityContext: podSecurityContext(dist.runAsUser),
        volumes: podVolumes(PipelineConfigMap.nameFor(settings.name)),
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
