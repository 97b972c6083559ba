import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { cronProblem } from '../config/k8s-values.js';
import * as cron from './generated/argo-cron.js';
import type { PipelineSettings } from './settings.js';
import type { IngestionWorkflowTemplate } from './workflow-template.js';

export interface IngestionCronWorkflowProps {
  /** The pipeline to run (namespace, labels, time zone and concurrency policy). */
  readonly settings: PipelineSettings;
  /** The WorkflowTemplate each scheduled run refers to. */
  readonly workflowTemplate: IngestionWorkflowTemplate;
  /** 5-field cron expression. @default the config's `schedule` (required when the config has none) */
  readonly schedule?: string;
  /** The CronWorkflow's name, at most 52 characters. @default the pipeline's name */
  readonly name?: string;
}

/**
 * Runs the pipeline on a schedule (every run is a full scan). Uses the `schedules` list (Argo v4 removed
 * `schedule`); `concurrencyPolicy` defaults to Forbid so two runs never overlap.
 */
export class IngestionCronWorkflow extends Construct {
  /** Argo appends `-<10-digit time>` to a CronWorkflow's name for each run: keep it within 52 characters. */
  static readonly MAX_NAME = 52;

  static nameFor(pipeline: string): string {
    return pipeline;
  }

  readonly name: string;
  /** The CronWorkflow object. */
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: IngestionCronWorkflowProps) {
    super(scope, id);
    const { settings } = props;
    const dist = settings.distributed;
    this.name = props.name ?? IngestionCronWorkflow.nameFor(settings.name);
    if (this.name.length > IngestionCronWorkflow.MAX_NAME) {
      throw new Error(`CronWorkflow name ${this.name} is longer than ${IngestionCronWorkflow.MAX_NAME} characters`);
    }
    const schedule = props.schedule ?? dist.schedule;
    if (schedule === undefined) {
      throw new Error(`IngestionCronWorkflow ${this.node.path} needs a schedule (the config has none)`);
    }
    const problem = cronProblem(schedule);
    if (problem) throw new Error(`IngestionCronWorkflow ${this.node.path}: schedule "${schedule}": ${problem}`);
    const labels = { ...settings.labels, 'app.kubernetes.io/component': 'schedule' };
    this.apiObject = new cron.CronWorkflow(this, 'Resource', {
      metadata: { name: this.name, namespace: settings.namespace, labels },
      spec: {
        schedules: [schedule.trim().split(/\s+/).join(' ')],
        timezone: dist.timezone,
        concurrencyPolicy: dist.concurrencyPolicy as cron.CronWorkflowSpecConcurrencyPolicy,
        workflowMetadata: { labels },
        workflowSpec: { workflowTemplateRef: { name: props.workflowTemplate.name } },
      },
    });
  }
}
