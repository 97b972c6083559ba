/**
 * examples/cdk8s-app, built in-process with a Testing app: the objects it declares, each valid like
 * dist/ (Argo CRDs of both vendored versions, Kubernetes models for core kinds). test/e2e/cdk8s-app-synth
 * runs the real `cdk8s synth` on it.
 */
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { build, IngestionChart } from '../../examples/cdk8s-app/main.js';
import { manifestProblems } from '../support/manifest-problems.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function appObjects(): Obj[] {
  const app = build(Testing.app());
  return app.charts.flatMap((chart) => chart.toJson() as Obj[]);
}

describe('examples/cdk8s-app', () => {
  const objects = appObjects();

  it('declares two pipelines: a scheduled one with a submitter, and one with a renamed template', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toMatchInlineSnapshot(`
      [
        "ConfigMap/warehouse-pg-config",
        "ServiceAccount/warehouse-pg-worker",
        "Role/warehouse-pg-worker",
        "RoleBinding/warehouse-pg-worker",
        "WorkflowTemplate/warehouse-pg",
        "Role/warehouse-pg-submitter",
        "RoleBinding/warehouse-pg-submitter",
        "CronWorkflow/warehouse-pg",
        "ConfigMap/metabase-prod-config",
        "ServiceAccount/metabase-prod-worker",
        "Role/metabase-prod-worker",
        "RoleBinding/metabase-prod-worker",
        "WorkflowTemplate/metabase-ingestion",
      ]
    `);
  });

  it.each(objects.map((o) => [`${o.kind}/${o.metadata.name}`, o] as const))('%s validates', (_id, object) => {
    expect(manifestProblems(object)).toEqual([]);
  });

  it('wires the references: the CronWorkflow runs its template, the mapped Secret reaches the pods', () => {
    const chart = build(Testing.app()).charts[0];
    expect(chart).toBeInstanceOf(IngestionChart);
    const { warehouse, dashboards } = chart as IngestionChart;
    expect(dashboards.workflowTemplate.name).toBe('metabase-ingestion');
    expect(warehouse.cronWorkflow?.name).toBe('warehouse-pg');
    const cron = objects.find((o) => o.kind === 'CronWorkflow')!;
    expect(cron.spec).toMatchObject({
      schedules: ['0 2 * * *'],
      timezone: 'Europe/Berlin',
      workflowSpec: { workflowTemplateRef: { name: 'warehouse-pg' } },
    });
    const metabase = objects.find((o) => o.kind === 'WorkflowTemplate' && o.metadata.name === 'metabase-ingestion')!;
    expect(metabase.spec.templates[1].container.env).toEqual([
      { name: 'METABASE_PASSWORD', valueFrom: { secretKeyRef: { name: 'metabase-api', key: 'password' } } },
    ]);
  });
});
