import { Construct } from 'constructs';
import * as cron from './generated/argo-cron.js';
import type { PipelineSettings } from './settings.js';

export interface IngestionCronWorkflowProps {
  readonly settings: PipelineSettings;
  /** The WorkflowTemplate each scheduled run refers to. */
  readonly workflowTemplateName: string;
  /** 5-field cron expression. */
  readonly schedule: string;
}

/**
 * Runs the pipeline on a schedule (e.g. a daily full scan). Uses the `schedules` list
 * (Argo v4 removed `schedule`); `concurrencyPolicy` defaults to Forbid so two runs never overlap.
 */
export class IngestionCronWorkflow extends Construct {
  /** Argo appends `-<10-digit time>` to a CronWorkflow's name for each run: keep it within 52 characters. */
  static readonly MAX_NAME = 52;

  static nameFor(pipeline: string): string {
    return pipeline;
  }

  readonly name: string;

  constructor(scope: Construct, id: string, props: IngestionCronWorkflowProps) {
    super(scope, id);
    const { settings } = props;
    const dist = settings.distributed;
    this.name = IngestionCronWorkflow.nameFor(settings.name);
    if (this.name.length > IngestionCronWorkflow.MAX_NAME) {
      throw new Error(`CronWorkflow name ${this.name} is longer than ${IngestionCronWorkflow.MAX_NAME} characters`);
    }
    const labels = { ...settings.labels, 'app.kubernetes.io/component': 'schedule' };
    new cron.CronWorkflow(this, 'Resource', {
      metadata: { name: this.name, namespace: settings.namespace, labels },
      spec: {
        schedules: [props.schedule.trim().split(/\s+/).join(' ')],
        timezone: dist.timezone,
        concurrencyPolicy: dist.concurrencyPolicy as cron.CronWorkflowSpecConcurrencyPolicy,
        workflowMetadata: { labels },
        workflowSpec: { workflowTemplateRef: { name: props.workflowTemplateName } },
      },
    });
  }
}
