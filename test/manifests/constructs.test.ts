/**
 * The cdk8s constructs, each built directly in a `Testing.chart()`, and `IngestionPipeline` from typed
 * props and from a config file.
 */
import { JsonPatch, Testing } from 'cdk8s';
import type { Chart } from 'cdk8s';
import { ServiceAccount } from 'cdk8s-plus-27';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfigFile } from '../../src/config/load.js';
import { PipelineConfigMap } from '../../src/manifests/config-map.js';
import { IngestionCronWorkflow } from '../../src/manifests/cron-workflow.js';
import {
  IngestionPipeline,
  pipelineConfigFromProps,
  type IngestionPipelineProps,
} from '../../src/manifests/pipeline.js';
import { pipelineSettings } from '../../src/manifests/settings.js';
import { SubmitterRbac } from '../../src/manifests/submitter-rbac.js';
import { synthPipelineObjects } from '../../src/manifests/synth.js';
import { WorkerRbac } from '../../src/manifests/worker-rbac.js';
import { IngestionWorkflowTemplate } from '../../src/manifests/workflow-template.js';
import { EXAMPLES_DIR } from './fixtures.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PROPS: IngestionPipelineProps = {
  sourceType: 'postgres',
  serviceName: 'warehouse_pg',
  connection: {
    hostPort: '${PG_HOST_PORT}',
    username: '${PG_USER}',
    authType: { password: '${PG_PASSWORD}' },
    database: 'warehouse',
  },
  openMetadata: { hostPort: 'http://openmetadata:8585/api', securityConfig: { jwtToken: '${OM_JWT_TOKEN}' } },
  namespace: 'ingest',
};

const settings = () => pipelineSettings(pipelineConfigFromProps({ ...PROPS, schedule: '0 3 * * *' }));
const synth = (chart: Chart) => Testing.synth(chart) as Obj[];
const ids = (objects: Obj[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);
/** Labels are the same recommended set on every object; snapshots show only the component. */
const component = (o: Obj) => ({
  ...o,
  metadata: { ...o.metadata, labels: o.metadata.labels['app.kubernetes.io/component'] },
});

describe('PipelineConfigMap', () => {
  it('holds the config rendered from the props, placeholders intact', () => {
    const chart = Testing.chart();
    const configMap = new PipelineConfigMap(chart, 'Config', { settings: settings() });
    expect(configMap.name).toBe('warehouse-pg-config');
    expect(configMap.apiObject.kind).toBe('ConfigMap');
    expect(synth(chart).map(component)).toMatchInlineSnapshot(`
      [
        {
          "apiVersion": "v1",
          "data": {
            "config.yaml": "source:
        type: postgres
        serviceName: warehouse_pg
        serviceConnection:
          config:
            type: Postgres
            hostPort: \${PG_HOST_PORT}
            username: \${PG_USER}
            authType:
              password: \${PG_PASSWORD}
            database: warehouse
        sourceConfig:
          config:
            type: DatabaseMetadata
      sink:
        type: metadata-rest
        config: {}
      workflowConfig:
        openMetadataServerConfig:
          hostPort: http://openmetadata:8585/api
          securityConfig:
            jwtToken: \${OM_JWT_TOKEN}
        distributedExecution:
          enabled: true
          orchestrator: argo
          namespace: ingest
          schedule: 0 3 * * *
      ",
          },
          "kind": "ConfigMap",
          "metadata": {
            "labels": "config",
            "name": "warehouse-pg-config",
            "namespace": "ingest",
          },
        },
      ]
    `);
  });

  it('takes another name', () => {
    const chart = Testing.chart();
    new PipelineConfigMap(chart, 'Config', { settings: settings(), name: 'pg-config' });
    expect(ids(synth(chart))).toEqual(['ConfigMap/pg-config']);
  });
});

describe('WorkerRbac', () => {
  it('creates the ServiceAccount, a Role for workflowtaskresults and its binding', () => {
    const chart = Testing.chart();
    const rbac = new WorkerRbac(chart, 'WorkerRbac', { settings: settings() });
    expect(rbac.serviceAccount.name).toBe('warehouse-pg-worker');
    expect(rbac.apiObject.kind).toBe('Role');
    expect(synth(chart).map(component)).toMatchInlineSnapshot(`
      [
        {
          "apiVersion": "v1",
          "kind": "ServiceAccount",
          "metadata": {
            "labels": "worker-rbac",
            "name": "warehouse-pg-worker",
            "namespace": "ingest",
          },
        },
        {
          "apiVersion": "rbac.authorization.k8s.io/v1",
          "kind": "Role",
          "metadata": {
            "labels": "worker-rbac",
            "name": "warehouse-pg-worker",
            "namespace": "ingest",
          },
          "rules": [
            {
              "apiGroups": [
                "argoproj.io",
              ],
              "resources": [
                "workflowtaskresults",
              ],
              "verbs": [
                "create",
                "patch",
              ],
            },
          ],
        },
        {
          "apiVersion": "rbac.authorization.k8s.io/v1",
          "kind": "RoleBinding",
          "metadata": {
            "labels": "worker-rbac",
            "name": "warehouse-pg-worker",
            "namespace": "ingest",
          },
          "roleRef": {
            "apiGroup": "rbac.authorization.k8s.io",
            "kind": "Role",
            "name": "warehouse-pg-worker",
          },
          "subjects": [
            {
              "kind": "ServiceAccount",
              "name": "warehouse-pg-worker",
              "namespace": "ingest",
            },
          ],
        },
      ]
    `);
  });

  it('binds an existing ServiceAccount and takes another Role name', () => {
    const chart = Testing.chart();
    const own = pipelineSettings(pipelineConfigFromProps({ ...PROPS, serviceAccount: 'platform-sa' }));
    const rbac = new WorkerRbac(chart, 'WorkerRbac', { settings: own, roleName: 'pg-worker' });
    expect(rbac.serviceAccountObject).toBeUndefined();
    const objects = synth(chart);
    expect(ids(objects)).toEqual(['Role/pg-worker', 'RoleBinding/pg-worker']);
    expect(objects[1]!.subjects).toEqual([{ kind: 'ServiceAccount', name: 'platform-sa', namespace: 'ingest' }]);
  });
});

describe('IngestionWorkflowTemplate', () => {
  it('mounts the ConfigMap it is given and runs as the ServiceAccount it is given', () => {
    const chart = Testing.chart();
    const configMap = new PipelineConfigMap(chart, 'Config', { settings: settings(), name: 'shared-config' });
    const template = new IngestionWorkflowTemplate(chart, 'Template', {
      settings: settings(),
      configMap,
      serviceAccount: { name: 'platform-sa' },
      name: 'pg-ingest',
    });
    expect(template.name).toBe('pg-ingest');
    const object = synth(chart).find((o) => o.kind === 'WorkflowTemplate')!;
    const spec = object.spec;
    expect({
      metadata: component(object).metadata,
      serviceAccountName: spec.serviceAccountName,
      parallelism: spec.parallelism,
      volumes: spec.volumes,
      templates: spec.templates.map((t: Obj) => t.name),
      retryStrategy: spec.templates[1].retryStrategy,
      resources: spec.templates[1].container.resources,
      envFrom: spec.templates[1].container.envFrom,
    }).toMatchInlineSnapshot(`
      {
        "envFrom": [
          {
            "secretRef": {
              "name": "warehouse-pg-credentials",
            },
          },
        ],
        "metadata": {
          "labels": "workflow",
          "name": "pg-ingest",
          "namespace": "ingest",
        },
        "parallelism": 50,
        "resources": {
          "limits": {
            "cpu": "1",
            "memory": "2Gi",
          },
          "requests": {
            "cpu": "500m",
            "memory": "1Gi",
          },
        },
        "retryStrategy": {
          "backoff": {
            "cap": "600s",
            "duration": "60s",
            "factor": 2,
          },
          "limit": 2,
          "retryPolicy": "Always",
        },
        "serviceAccountName": "platform-sa",
        "templates": [
          "ingest",
          "discover",
          "process-shard",
          "finalize",
        ],
        "volumes": [
          {
            "configMap": {
              "name": "shared-config",
            },
            "name": "config",
          },
          {
            "emptyDir": {},
            "name": "work",
          },
          {
            "emptyDir": {},
            "name": "tmp",
          },
        ],
      }
    `);
  });
});

describe('SubmitterRbac', () => {
  it('allows get on the WorkflowTemplate object it is given, for the ServiceAccount it is given', () => {
    const chart = Testing.chart();
    const s = settings();
    const template = new IngestionWorkflowTemplate(chart, 'Template', {
      settings: s,
      configMap: new PipelineConfigMap(chart, 'Config', { settings: s }),
      serviceAccount: { name: 'warehouse-pg-worker' },
      name: 'pg-ingest',
    });
    const rbac = new SubmitterRbac(chart, 'Submitter', {
      settings: s,
      workflowTemplate: template,
      serviceAccount: { name: 'ingestion-ci' },
    });
    expect(rbac.apiObject.kind).toBe('Role');
    expect(
      synth(chart)
        .filter((o) => o.kind.startsWith('Role'))
        .map(component),
    ).toMatchInlineSnapshot(`
      [
        {
          "apiVersion": "rbac.authorization.k8s.io/v1",
          "kind": "Role",
          "metadata": {
            "labels": "submitter-rbac",
            "name": "warehouse-pg-submitter",
            "namespace": "ingest",
          },
          "rules": [
            {
              "apiGroups": [
                "argoproj.io",
              ],
              "resources": [
                "workflows",
              ],
              "verbs": [
                "create",
                "get",
                "list",
                "watch",
              ],
            },
            {
              "apiGroups": [
                "argoproj.io",
              ],
              "resourceNames": [
                "pg-ingest",
              ],
              "resources": [
                "workflowtemplates",
              ],
              "verbs": [
                "get",
              ],
            },
          ],
        },
        {
          "apiVersion": "rbac.authorization.k8s.io/v1",
          "kind": "RoleBinding",
          "metadata": {
            "labels": "submitter-rbac",
            "name": "warehouse-pg-submitter",
            "namespace": "ingest",
          },
          "roleRef": {
            "apiGroup": "rbac.authorization.k8s.io",
            "kind": "Role",
            "name": "warehouse-pg-submitter",
          },
          "subjects": [
            {
              "kind": "ServiceAccount",
              "name": "ingestion-ci",
              "namespace": "ingest",
            },
          ],
        },
      ]
    `);
  });
});

describe('IngestionCronWorkflow', () => {
  const template = (chart: Chart) =>
    new IngestionWorkflowTemplate(chart, 'Template', {
      settings: settings(),
      configMap: new PipelineConfigMap(chart, 'Config', { settings: settings() }),
      serviceAccount: { name: 'sa' },
      name: 'pg-ingest',
    });

  it('runs the WorkflowTemplate object it is given on the schedule', () => {
    const chart = Testing.chart();
    const cron = new IngestionCronWorkflow(chart, 'Cron', { settings: settings(), workflowTemplate: template(chart) });
    expect(cron.apiObject.kind).toBe('CronWorkflow');
    expect(
      synth(chart)
        .filter((o) => o.kind === 'CronWorkflow')
        .map(component),
    ).toMatchInlineSnapshot(`
      [
        {
          "apiVersion": "argoproj.io/v1alpha1",
          "kind": "CronWorkflow",
          "metadata": {
            "labels": "schedule",
            "name": "warehouse-pg",
            "namespace": "ingest",
          },
          "spec": {
            "concurrencyPolicy": "Forbid",
            "schedules": [
              "0 3 * * *",
            ],
            "timezone": "UTC",
            "workflowMetadata": {
              "labels": {
                "app.kubernetes.io/component": "schedule",
                "app.kubernetes.io/instance": "warehouse-pg",
                "app.kubernetes.io/managed-by": "argo-ingest",
                "app.kubernetes.io/name": "argo-ingest",
                "app.kubernetes.io/part-of": "openmetadata-ingestion",
              },
            },
            "workflowSpec": {
              "workflowTemplateRef": {
                "name": "pg-ingest",
              },
            },
          },
        },
      ]
    `);
  });

  it('refuses a schedule that is not 5-field cron, and a name Argo cannot suffix', () => {
    const chart = Testing.chart();
    const workflowTemplate = template(chart);
    expect(
      () => new IngestionCronWorkflow(chart, 'A', { settings: settings(), workflowTemplate, schedule: '0 3 * *' }),
    ).toThrow(/5-field cron/);
    expect(
      () => new IngestionCronWorkflow(chart, 'B', { settings: settings(), workflowTemplate, name: 'x'.repeat(53) }),
    ).toThrow(/longer than 52/);
  });
});

describe('IngestionPipeline', () => {
  it('composes ConfigMap, worker RBAC and WorkflowTemplate; submitter RBAC and CronWorkflow when asked', () => {
    const chart = Testing.chart();
    const minimal = new IngestionPipeline(chart, 'Minimal', PROPS);
    expect(minimal.cronWorkflow).toBeUndefined();
    expect(minimal.submitterRbac).toBeUndefined();
    new IngestionPipeline(chart, 'Full', {
      ...PROPS,
      serviceName: 'warehouse_full',
      schedule: '0 3 * * *',
      submitter: { serviceAccount: 'ingestion-ci' },
    });
    expect(ids(synth(chart))).toMatchInlineSnapshot(`
      [
        "ConfigMap/warehouse-pg-config",
        "ServiceAccount/warehouse-pg-worker",
        "Role/warehouse-pg-worker",
        "RoleBinding/warehouse-pg-worker",
        "WorkflowTemplate/warehouse-pg",
        "ConfigMap/warehouse-full-config",
        "ServiceAccount/warehouse-full-worker",
        "Role/warehouse-full-worker",
        "RoleBinding/warehouse-full-worker",
        "WorkflowTemplate/warehouse-full",
        "Role/warehouse-full-submitter",
        "RoleBinding/warehouse-full-submitter",
        "CronWorkflow/warehouse-full",
      ]
    `);
  });

  it('passes overridden names on through the object references', () => {
    const chart = Testing.chart();
    const pipeline = new IngestionPipeline(chart, 'Pipeline', {
      ...PROPS,
      // Object references: cdk8s-plus ServiceAccounts (here, existing ones) instead of names.
      serviceAccount: ServiceAccount.fromServiceAccountName(chart, 'Existing', 'platform-sa'),
      schedule: '0 3 * * *',
      submitter: { serviceAccount: ServiceAccount.fromServiceAccountName(chart, 'Ci', 'ingestion-ci') },
      names: {
        configMap: 'cm',
        workerRole: 'worker',
        workflowTemplate: 'wt',
        submitterRole: 'submitter',
        cronWorkflow: 'nightly',
      },
    });
    const objects = synth(chart);
    expect(ids(objects).sort()).toEqual([
      'ConfigMap/cm',
      'CronWorkflow/nightly',
      'Role/submitter',
      'Role/worker',
      'RoleBinding/submitter',
      'RoleBinding/worker',
      'WorkflowTemplate/wt',
    ]);
    const find = (kind: string) => objects.find((o) => o.kind === kind)!;
    expect(find('WorkflowTemplate').spec.volumes[0]).toEqual({ name: 'config', configMap: { name: 'cm' } });
    expect(find('WorkflowTemplate').spec.serviceAccountName).toBe('platform-sa');
    expect(find('CronWorkflow').spec.workflowSpec.workflowTemplateRef).toEqual({ name: 'wt' });
    expect(objects.find((o) => o.metadata.name === 'submitter' && o.kind === 'Role')!.rules[1].resourceNames).toEqual([
      'wt',
    ]);
    expect(pipeline.workflowTemplate.name).toBe('wt');
    expect(objects.find((o) => o.kind === 'RoleBinding' && o.metadata.name === 'submitter')!.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'ingestion-ci', namespace: 'ingest' },
    ]);
  });

  it('exposes each ApiObject for escape hatches', () => {
    const chart = Testing.chart();
    const pipeline = new IngestionPipeline(chart, 'Pipeline', PROPS);
    pipeline.workflowTemplate.apiObject.addJsonPatch(JsonPatch.add('/metadata/annotations', { owner: 'data' }));
    const template = synth(chart).find((o) => o.kind === 'WorkflowTemplate')!;
    expect(template.metadata.annotations).toEqual({ owner: 'data' });
  });

  it('from typed props makes the same objects as the equivalent config file (but its ConfigMap text)', () => {
    const fromFile = synthPipelineObjects(loadConfigFile(join(EXAMPLES_DIR, 'postgres-distributed.yaml')));
    const chart = Testing.chart();
    new IngestionPipeline(chart, 'Pipeline', {
      sourceType: 'postgres',
      serviceName: 'warehouse_pg',
      connection: {
        type: 'Postgres',
        hostPort: '${POSTGRES_HOST_PORT}',
        username: '${POSTGRES_USER}',
        authType: { password: '${POSTGRES_PASSWORD}' },
        database: 'warehouse',
      },
      filters: {
        markDeletedTables: true,
        includeViews: true,
        schemaFilterPattern: { excludes: ['^pg_', '^information_schema$'] },
      },
      openMetadata: {
        hostPort: '${OPENMETADATA_HOST_PORT}',
        authProvider: 'openmetadata',
        securityConfig: { jwtToken: '${OM_JWT_TOKEN}' },
      },
      loggerLevel: 'INFO',
      parallelism: 30,
      namespace: 'openmetadata',
      image: 'ghcr.io/example/argo-ingest:0.1.0',
    });
    const fromProps = synth(chart);
    const withoutData = (objects: readonly Obj[]) =>
      objects.map((o) => (o.kind === 'ConfigMap' ? { ...o, data: undefined } : o));
    expect(withoutData(fromProps)).toEqual(withoutData(fromFile));
    const configMap = fromProps.find((o) => o.kind === 'ConfigMap')!;
    expect(configMap.data['config.yaml']).toContain('parallelism: 30');
  });

  it('fromConfigFile makes what synth makes for that file', () => {
    const file = join(EXAMPLES_DIR, 'mysql-distributed.yaml');
    const chart = Testing.chart();
    const pipeline = IngestionPipeline.fromConfigFile(chart, 'Pipeline', file, { namespace: 'elsewhere' });
    expect(pipeline.settings.namespace).toBe('elsewhere');
    const sorted = (objects: readonly Obj[]) => [...objects].sort((a, b) => (ids([a])[0]! < ids([b])[0]! ? -1 : 1));
    expect(sorted(synth(chart))).toEqual(
      sorted(synthPipelineObjects(loadConfigFile(file), { namespace: 'elsewhere' })),
    );
  });

  it('validates props with the config schema and names the props in errors', () => {
    const chart = Testing.chart();
    const error = (props: IngestionPipelineProps): ConfigError => {
      try {
        new IngestionPipeline(chart, `P${Math.random()}`.replace('.', ''), props);
      } catch (e) {
        if (e instanceof ConfigError) return e;
        throw e;
      }
      throw new Error('no ConfigError');
    };
    expect(error({ ...PROPS, parallelism: 0, retryPolicy: { backoffFactor: 1.5 } }).issues.map((i) => i.path)).toEqual([
      'parallelism',
      'retryPolicy.backoffFactor',
    ]);
    const literal = error({ ...PROPS, connection: { ...PROPS.connection, authType: { password: 'hunter2' } } });
    expect(literal.issues.map((i) => i.path)).toContain('connection.authType.password');
    expect(literal.message).not.toContain('hunter2');
    expect(error({ ...PROPS, timezone: 'Mars/Olympus' }).issues).toEqual([
      { path: 'timezone', message: expect.stringContaining('IANA time zone') },
    ]);
  });

  it('types the connection by source type', () => {
    const chart = Testing.chart();
    expect(
      () =>
        new IngestionPipeline(chart, 'Metabase', {
          ...PROPS,
          sourceType: 'metabase',
          // @ts-expect-error `database` is a postgres field, not a metabase one
          connection: { hostPort: 'https://metabase.example.com', apiKey: '${MB_KEY}', database: 'x' },
        }),
    ).toThrow(/connection\.database: unknown key/);
  });
});
