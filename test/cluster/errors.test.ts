import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startKubeApiServer, type KubeApiServer, type KubeApiServerOptions } from '../support/kube-api-server.js';
import { pipelineConfigText, tempDir, type ConfigOverrides, type TempDir } from './fixtures.js';

const TOKEN = 'kube-token-MARKER-51d0e2';
const PREFIX = 'error: Failed to create workflow via Kubernetes API: ';

describe('argo-ingest run (orchestrator: argo) when the cluster refuses', () => {
  let dir: TempDir;
  let kube: KubeApiServer | undefined;

  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await kube?.close();
    kube = undefined;
    dir.remove();
  });

  async function run(
    server: KubeApiServerOptions,
    config: ConfigOverrides = {},
    kubeconfig: { token?: string } = {},
    args: string[] = [],
  ) {
    kube = await startKubeApiServer({ token: TOKEN, namespaces: ['openmetadata'], ...server });
    const file = dir.write('pipeline.yaml', pipelineConfigText(config));
    const KUBECONFIG = kube.writeKubeconfig(dir.path, kubeconfig);
    return runCli(['run', '-c', file, ...args], { KUBECONFIG });
  }

  it('names the missing Argo CRDs and how to install them', async () => {
    const result = await run({ argoInstalled: false });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${PREFIX}Argo Workflows is not installed`);
    expect(result.stderr).toContain('kubectl get crd workflows.argoproj.io');
    expect(result.stderr).toContain('argo-workflows/releases/latest/download/install.yaml');
    expect(kube!.requests.some((r) => r.method === 'POST')).toBe(false);
  });

  it('names a missing namespace and how to create it', async () => {
    const result = await run({ namespaces: ['default'] });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${PREFIX}namespace "openmetadata" does not exist`);
    expect(result.stderr).toContain('kubectl create namespace openmetadata');
    expect(result.stderr).toContain('kubectl get namespace openmetadata');
  });

  it('names a missing ServiceAccount that the config refers to', async () => {
    const result = await run({}, { serviceAccount: 'openmetadata-ingestion' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      `${PREFIX}ServiceAccount "openmetadata-ingestion" (distributedExecution.serviceAccount) does not exist in namespace "openmetadata"`,
    );
    expect(result.stderr).toContain('kubectl get serviceaccount openmetadata-ingestion -n openmetadata');
    expect(kube!.list('Workflow', 'openmetadata')).toHaveLength(0);
  });

  it('passes the preflight when the named ServiceAccount exists', async () => {
    const result = await run(
      {
        objects: [
          { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'om-ingest', namespace: 'openmetadata' } },
        ],
      },
      { serviceAccount: 'om-ingest' },
    );
    expect(result.stderr).toContain('Workflow submitted: openmetadata/warehouse-pg-');
    expect(result.code).toBe(0);
  });

  it('explains a 403 with the RBAC the submitter needs', async () => {
    const result = await run({ forbidden: ({ verb, resource }) => verb === 'create' && resource === 'workflows' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${PREFIX}permission denied (403 Forbidden): workflows.argoproj.io is forbidden`);
    expect(result.stderr).toContain('kubectl auth can-i create workflows.argoproj.io -n openmetadata');
    expect(result.stderr).toContain('distributedExecution.submitter.serviceAccount');
  });

  it('explains an expired token (401) without printing it', async () => {
    const expired = 'expired-token-MARKER-0b7c44';
    const result = await run({}, {}, { token: expired });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      `${PREFIX}the API server rejected the credentials of context "test" (401 Unauthorized)`,
    );
    expect(result.stderr).toContain('kubectl auth whoami');
    expect(result.stderr + result.stdout).not.toContain(expired);
    expect(result.stderr + result.stdout).not.toContain(TOKEN);
  });

  it('explains an unreachable API server', async () => {
    kube = await startKubeApiServer({ token: TOKEN });
    const KUBECONFIG = kube.writeKubeconfig(dir.path);
    const url = kube.url;
    await kube.close();
    kube = undefined;
    const result = await runCli(['run', '-c', dir.write('pipeline.yaml', pipelineConfigText())], { KUBECONFIG });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${PREFIX}cannot reach the API server ${url} of context "test" (ECONNREFUSED`);
    expect(result.stderr).toContain('kubectl --context test cluster-info');
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('refuses an unknown --context and lists the known ones', async () => {
    const result = await run({}, {}, {}, ['--context', 'prod']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${PREFIX}context "prod" is not in the kubeconfig`);
    expect(result.stderr).toContain('use one of: test');
    expect(kube!.requests).toHaveLength(0);
  });
});
