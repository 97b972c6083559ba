import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import type { LoadedConfig } from '../config/load.js';
import { PipelineConfigMap } from './config-map.js';
import { IngestionCronWorkflow } from './cron-workflow.js';
import { pipelineSettings, type PipelineSettings } from './settings.js';
import { SubmitterRbac } from './submitter-rbac.js';
import { WorkerRbac } from './worker-rbac.js';
import { IngestionWorkflowTemplate } from './workflow-template.js';

export interface PipelineChartProps extends ChartProps {
  /** A loaded, valid config with distributed execution on and orchestrator argo. `namespace` overrides the config's. */
  readonly loaded: LoadedConfig;
}

/**
 * Every object of one pipeline: ConfigMap, worker RBAC, optional submitter RBAC, WorkflowTemplate and,
 * with a schedule, a CronWorkflow. Names are fixed (no hashes) so that `kubectl apply` and GitOps tools
 * update the same objects on every synth.
 */
export class PipelineChart extends Chart {
  readonly settings: PipelineSettings;

  constructor(scope: Construct, id: string, props: PipelineChartProps) {
    const settings = pipelineSettings(props.loaded, { namespace: props.namespace });
    super(scope, id, { ...props, namespace: settings.namespace, disableResourceNameHashes: true });
    this.settings = settings;
    const dist = settings.distributed;
    new PipelineConfigMap(this, 'Config', { settings });
    new WorkerRbac(this, 'WorkerRbac', { settings });
    if (dist.submitter)
      new SubmitterRbac(this, 'SubmitterRbac', { settings, serviceAccount: dist.submitter.serviceAccount });
    const template = new IngestionWorkflowTemplate(this, 'WorkflowTemplate', { settings });
    if (dist.schedule) {
      new IngestionCronWorkflow(this, 'CronWorkflow', {
        settings,
        workflowTemplateName: template.name,
        schedule: dist.schedule,
      });
    }
  }
}
