/**
 * GitOps submit: Argo CD / Flux applies dist/, and the CI identity holds only the submitter Role that
 * synth emits. `run --no-apply` must submit with exactly those rights; `run` without it must say so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runDistributed } from '../../src/cluster/index.js';
import { SubmitterRbac } from '../../src/manifests/submitter-rbac.js';
import { synthPipelineObjects } from '../../src/manifests/synth.js';
import { startKubeApiServer, type KubeApiServer, type KubeObject } from '../support/kube-api-server.js';
import { capturingLogger, pipelineConfig, tempDir, type TempDir } from './fixtures.js';

const NS = 'openmetadata';

describe('run --no-apply with only the submitter Role', () => {
  let kube: KubeApiServer | undefined;
  let dir: TempDir | undefined;
  afterEach(async () => {
    await kube?.close();
    dir?.remove();
  });

  async function gitopsCluster(objects: readonly KubeObject[]): Promise<string> {
    // Exactly the rules of the submitter Role that synth emits (distributedExecution.submitter).
    kube = await startKubeApiServer({ namespaces: [NS], rules: SubmitterRbac.rules('warehouse-pg'), objects });
    dir = tempDir();
    return kube.writeKubeconfig(dir.path);
  }

  it('submits a Workflow from the template GitOps applied, touching nothing else', async () => {
    const kubeconfig = await gitopsCluster(synthPipelineObjects(pipelineConfig()));
    const logger = capturingLogger();
    // --wait too: following the Workflow needs only get and watch on workflows.
    expect(
      await runDistributed(pipelineConfig(), {
        logger,
        kubeconfig,
        noApply: true,
        wait: true,
        stream: { write: () => true },
      }),
    ).toBe(0);
    expect(kube!.list('Workflow', NS)).toHaveLength(1);
    expect(logger.text()).toContain('Succeeded');
    expect(kube!.requests.filter((r) => r.method === 'PATCH' || r.method === 'PUT')).toEqual([]);
    expect(logger.text()).not.toContain('differs');
    expect(logger.text()).toContain('Workflow submitted');
  });

  it('warns when the template in the cluster differs from this config', async () => {
    const kubeconfig = await gitopsCluster(synthPipelineObjects(pipelineConfig({ parallelism: 5 })));
    const logger = capturingLogger();
    expect(await runDistributed(pipelineConfig(), { logger, kubeconfig, noApply: true })).toBe(0);
    expect(logger.text()).toMatch(/WARN WorkflowTemplate warehouse-pg in the cluster differs .*spec\./);
  });

  it('says that GitOps has not applied the template yet', async () => {
    const kubeconfig = await gitopsCluster([]);
    await expect(
      runDistributed(pipelineConfig(), { logger: capturingLogger(), kubeconfig, noApply: true }),
    ).rejects.toThrow(/--no-apply: WorkflowTemplate "warehouse-pg" does not exist in namespace "openmetadata"/);
    expect(kube!.list('Workflow', NS)).toHaveLength(0);
  });

  it('without --no-apply, the forbidden apply suggests it', async () => {
    const kubeconfig = await gitopsCluster(synthPipelineObjects(pipelineConfig()));
    const error = await runDistributed(pipelineConfig(), { logger: capturingLogger(), kubeconfig }).catch(
      (e: unknown) => e as Error,
    );
    expect(String(error)).toContain('403 Forbidden');
    expect(String(error)).toContain('argo-ingest run --no-apply');
  });
});
