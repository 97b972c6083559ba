import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDistributed } from '../../src/cluster/index.js';
import { synthPipelineObjects } from '../../src/manifests/synth.js';
import { startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { capturingLogger, pipelineConfig, tempDir, withoutServerFields, type TempDir } from './fixtures.js';

const NS = 'openmetadata';
const KINDS = ['ConfigMap', 'ServiceAccount', 'Role', 'RoleBinding', 'WorkflowTemplate', 'CronWorkflow', 'Workflow'];
const TOKEN = 'kube-token-MARKER-7f3a9c';

describe('submitting a pipeline to the cluster', () => {
  let kube: KubeApiServer;
  let dir: TempDir;
  let kubeconfig: string;

  beforeEach(async () => {
    kube = await startKubeApiServer({ namespaces: [NS], token: TOKEN });
    dir = tempDir();
    kubeconfig = kube.writeKubeconfig(dir.path);
  });
  afterEach(async () => {
    await kube.close();
    dir.remove();
  });

  it('applies exactly the synthesized objects, with the same content as synth', async () => {
    const loaded = pipelineConfig();
    const logger = capturingLogger();
    const code = await runDistributed(loaded, { logger, kubeconfig });
    expect(code).toBe(0);

    const expected = synthPipelineObjects(loaded);
    const stored = KINDS.filter((k) => k !== 'Workflow').flatMap((kind) => kube.list(kind, NS));
    expect(stored.map(withoutServerFields)).toEqual(expected);
    expect(expected.map((o) => o.kind)).toEqual([
      'ConfigMap',
      'ServiceAccount',
      'Role',
      'RoleBinding',
      'WorkflowTemplate',
    ]);
  });

  it('creates a Workflow that references the template, and says how to follow it', async () => {
    const logger = capturingLogger();
    await runDistributed(pipelineConfig({ argoServerUrl: 'https://argo.example.com/' }), { logger, kubeconfig });

    const workflows = kube.list('Workflow', NS);
    expect(workflows).toHaveLength(1);
    const workflow = workflows[0]!;
    const name = workflow.metadata!.name!;
    expect(name).toMatch(/^warehouse-pg-[a-z0-9]{5}$/);
    expect(workflow.spec).toEqual({ workflowTemplateRef: { name: 'warehouse-pg' } });
    expect((workflow.metadata!.labels as Record<string, string>)['workflows.argoproj.io/workflow-template']).toBe(
      'warehouse-pg',
    );
    const posted = kube.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/workflows'));
    expect(posted).toHaveLength(1);

    const log = logger.text();
    expect(log).toContain('Executing workflow in DISTRIBUTED mode');
    expect(log).toContain(`Workflow submitted: ${NS}/${name}`);
    expect(log).toContain(`kubectl -n ${NS} get wf ${name} -w`);
    expect(log).toContain(`argo -n ${NS} watch ${name}`);
    expect(log).toContain(`Argo UI:    https://argo.example.com/workflows/${NS}/${name}`);
    expect(log).not.toContain(TOKEN);
    // The token went to the server, and only there.
    expect(kube.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('updates the objects on a second submit instead of failing, and starts a second Workflow', async () => {
    await runDistributed(pipelineConfig(), { logger: capturingLogger(), kubeconfig });
    const before = kube.object('WorkflowTemplate', NS, 'warehouse-pg')!;

    const logger = capturingLogger();
    const changed = pipelineConfig({ parallelism: 7 });
    const code = await runDistributed(changed, { logger, kubeconfig });
    expect(code).toBe(0);

    const after = kube.object('WorkflowTemplate', NS, 'warehouse-pg')!;
    expect(after.metadata!.uid).toBe(before.metadata!.uid);
    expect(after.metadata!.resourceVersion).not.toBe(before.metadata!.resourceVersion);
    expect((after.spec as { parallelism: number }).parallelism).toBe(7);
    expect(withoutServerFields(after)).toEqual(
      synthPipelineObjects(changed).find((o) => o.kind === 'WorkflowTemplate'),
    );
    expect(logger.text()).toContain('WorkflowTemplate/warehouse-pg applied');
    expect(kube.list('Workflow', NS)).toHaveLength(2);
    // Server-side apply only: no GET-then-replace.
    expect(kube.requests.filter((r) => r.method === 'PUT')).toEqual([]);
  });

  it('applies server-side (PATCH application/apply-patch+yaml, fieldManager argo-ingest), and keeps fields other managers own', async () => {
    await runDistributed(pipelineConfig(), { logger: capturingLogger(), kubeconfig });
    const applies = kube.requests.filter((r) => r.method === 'PATCH');
    expect(applies).toHaveLength(5);
    for (const r of applies) {
      expect(r.contentType).toBe('application/apply-patch+yaml');
      expect(new URL(r.path, 'http://x').searchParams.get('fieldManager')).toBe('argo-ingest');
    }
    const unchangedAccount = kube.object('ServiceAccount', NS, 'warehouse-pg-worker')!.metadata!.resourceVersion;

    // A GitOps tool and a controller add their own fields with their own field managers.
    const cm = `/api/v1/namespaces/${NS}/configmaps/warehouse-pg-config`;
    const other = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'warehouse-pg-config',
        labels: { team: 'data' },
        annotations: { 'argocd.argoproj.io/sync-wave': '1' },
      },
      data: { extra: 'kept' },
    };
    const answer = await fetch(`${kube.url}${cm}?fieldManager=argocd-controller`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/apply-patch+yaml' },
      body: JSON.stringify(other),
    });
    expect(answer.status).toBe(200);

    const logger = capturingLogger();
    expect(await runDistributed(pipelineConfig({ parallelism: 7 }), { logger, kubeconfig })).toBe(0);
    const stored = kube.object('ConfigMap', NS, 'warehouse-pg-config')!;
    expect((stored.data as Record<string, string>).extra).toBe('kept');
    expect((stored.metadata!.labels as Record<string, string>).team).toBe('data');
    expect((stored.metadata!.annotations as Record<string, string>)['argocd.argoproj.io/sync-wave']).toBe('1');
    expect((stored.data as Record<string, string>)['config.yaml']).toContain('parallelism: 7');
    const managers = (stored.metadata!.managedFields as { manager: string }[]).map((m) => m.manager).sort();
    expect(managers).toEqual(['argo-ingest', 'argocd-controller']);
    // An apply that changes nothing leaves the object alone.
    expect(kube.object('ServiceAccount', NS, 'warehouse-pg-worker')!.metadata!.resourceVersion).toBe(unchangedAccount);
  });

  it('applies the CronWorkflow too when the config has a schedule', async () => {
    const loaded = pipelineConfig({ schedule: '0 2 * * *' });
    const logger = capturingLogger();
    await runDistributed(loaded, { logger, kubeconfig });
    const cron = kube.object('CronWorkflow', NS, 'warehouse-pg');
    expect(cron).toBeDefined();
    expect(withoutServerFields(cron!)).toEqual(synthPipelineObjects(loaded).find((o) => o.kind === 'CronWorkflow'));
    expect(logger.text()).toContain('runs it on schedule "0 2 * * *"');
  });

  it("submits to the --namespace given instead of the config's", async () => {
    await kube.close();
    kube = await startKubeApiServer({ namespaces: ['team-a'], token: TOKEN });
    kubeconfig = kube.writeKubeconfig(dir.path);
    const code = await runDistributed(pipelineConfig(), { logger: capturingLogger(), kubeconfig, namespace: 'team-a' });
    expect(code).toBe(0);
    expect(kube.list('WorkflowTemplate', 'team-a')).toHaveLength(1);
    expect(kube.list('Workflow', 'team-a')).toHaveLength(1);
    expect(kube.list('WorkflowTemplate', NS)).toHaveLength(0);
  });
});
