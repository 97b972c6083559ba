import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runDistributed, WAIT_EXIT } from '../../src/cluster/index.js';
import {
  startKubeApiServer,
  type KubeApiServer,
  type KubeApiServerOptions,
  type WorkflowStep,
} from '../support/kube-api-server.js';
import { capturingLogger, pipelineConfig, tempDir, type ConfigOverrides } from './fixtures.js';

const NS = 'openmetadata';
/** A Workflow that runs through four shards and succeeds. */
const FOUR_STEPS: readonly WorkflowStep[] = [
  { phase: 'Running', progress: '1/4' },
  { phase: 'Running', progress: '2/4' },
  { phase: 'Running', progress: '3/4' },
  { phase: 'Succeeded', progress: '4/4' },
];

/** A clock that moves only when the waiter sleeps: timeouts without real time passing. */
function fakeClock() {
  let t = 1_000_000;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

/** The watches of a Workflow that the server saw, with their resourceVersion. */
function watches(kube: KubeApiServer, name: string): (string | null)[] {
  return kube.requests
    .map((r) => new URL(r.path, 'http://x'))
    .filter(
      (u) => u.searchParams.get('watch') === '1' && u.searchParams.get('fieldSelector') === `metadata.name=${name}`,
    )
    .map((u) => u.searchParams.get('resourceVersion'));
}

function stream(isTTY = false) {
  const chunks: string[] = [];
  return { isTTY, write: (s: string) => chunks.push(s), text: () => chunks.join('') };
}

describe('waiting for a submitted workflow', () => {
  let kube: KubeApiServer | undefined;
  const dir = tempDir();
  afterEach(async () => {
    await kube?.close();
    kube = undefined;
  });
  afterAll(() => dir.remove());

  async function submitAndWait(
    server: KubeApiServerOptions,
    config: ConfigOverrides = {},
    extra: { signal?: AbortSignal; tty?: boolean; fakeTime?: boolean } = {},
  ) {
    kube = await startKubeApiServer({ namespaces: [NS], ...server });
    const logger = capturingLogger();
    const out = stream(extra.tty);
    const code = await runDistributed(pipelineConfig(config), {
      logger,
      kubeconfig: kube.writeKubeconfig(dir.path),
      wait: true,
      stream: out,
      ...(extra.fakeTime ? fakeClock() : {}),
      ...(extra.signal ? { signal: extra.signal } : {}),
    });
    return { code, log: logger.text(), out: out.text(), name: kube.list('Workflow', NS)[0]!.metadata!.name! };
  }

  it('follows progress to Succeeded and exits 0', async () => {
    const { code, out, log, name } = await submitAndWait({
      workflowScript: [
        { phase: 'Pending' },
        { phase: 'Running', progress: '0/10' },
        { phase: 'Running', progress: '3/10' },
        { phase: 'Running', progress: '3/10' },
        { phase: 'Succeeded', progress: '10/10' },
      ],
    });
    expect(code).toBe(0);
    expect(out.split('\n').filter(Boolean)).toEqual([
      'Workflow progress: -, phase Pending',
      'Workflow progress: 0/10, phase Running',
      'Workflow progress: 3/10, phase Running',
      'Workflow progress: 10/10, phase Succeeded',
    ]);
    expect(log).toContain(`Workflow ${NS}/${name} Succeeded`);
  });

  it('draws a bar in place on a terminal', async () => {
    const { code, out } = await submitAndWait(
      {
        workflowScript: [
          { phase: 'Running', progress: '3/10' },
          { phase: 'Succeeded', progress: '10/10' },
        ],
      },
      {},
      { tty: true },
    );
    expect(code).toBe(0);
    expect(out).toContain(`\r[${'#'.repeat(7)}${'.'.repeat(17)}] 3/10  Running`);
    expect(out).toMatch(/\r\[#{24}\] 10\/10 {2}Succeeded {2}\S+\x1b\[K\n$/);
  });

  it("exits non-zero on Failed and prints the failed nodes' messages", async () => {
    const { code, log, name } = await submitAndWait({
      workflowScript: [
        { phase: 'Running', progress: '1/3' },
        {
          phase: 'Failed',
          progress: '2/3',
          message: 'child failed',
          failedNodes: [{ name: 'process(1:1)', message: 'OOMKilled (exit code 137)' }],
        },
      ],
    });
    expect(code).toBe(WAIT_EXIT.failed);
    expect(log).toContain(`ERROR Workflow ${NS}/${name} Failed (progress 2/3): child failed`);
    expect(log).toContain('ERROR   process(1:1): OOMKilled (exit code 137)');
    expect(log).toContain('resourceLimits.memory');
  });

  it('reports a workflow that fails for a missing ServiceAccount with the fix', async () => {
    // The submitter may not read ServiceAccounts, so the preflight cannot see that it is missing;
    // the controller then fails the workflow as Argo does.
    const { code, log } = await submitAndWait(
      { forbidden: ({ verb, resource }) => verb === 'get' && resource === 'serviceaccounts' },
      { serviceAccount: 'openmetadata-ingestion' },
    );
    expect(code).toBe(WAIT_EXIT.failed);
    expect(log).toContain('serviceaccount "openmetadata-ingestion" not found');
    expect(log).toContain('kubectl get serviceaccount openmetadata-ingestion -n openmetadata');
  });

  it('stops waiting at timeoutSeconds and says the workflow keeps running', async () => {
    const { code, log, name } = await submitAndWait(
      { workflowScript: [{ phase: 'Running', progress: '1/10' }] },
      {},
      { fakeTime: true },
    );
    expect(code).toBe(WAIT_EXIT.timeout);
    expect(log).toContain('Stopped waiting after 10m 00s (distributedExecution.timeoutSeconds)');
    expect(log).toContain(`argo -n ${NS} stop ${name}`);
  });

  it('watches instead of polling: one GET, then a watch from its resourceVersion', async () => {
    const { code, name } = await submitAndWait({
      workflowScript: FOUR_STEPS,
    });
    expect(code).toBe(0);
    const gets = kube!.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/workflows/${name}`));
    expect(gets).toHaveLength(1);
    const rv = watches(kube!, name);
    expect(rv).toHaveLength(1);
    expect(Number(rv[0])).toBeGreaterThan(0);
  });

  it('resumes a cut watch from the last resourceVersion it saw', async () => {
    const { code, out, name } = await submitAndWait({
      dropFirstWatchAfter: 2,
      workflowScript: FOUR_STEPS,
    });
    expect(code).toBe(0);
    const rv = watches(kube!, name).map(Number);
    expect(rv.length).toBeGreaterThanOrEqual(2);
    expect(rv[1]).toBeGreaterThan(rv[0]!);
    // Nothing missed, nothing repeated.
    expect(out.split('\n').filter(Boolean)).toEqual([
      'Workflow progress: -, phase Pending',
      'Workflow progress: 1/4, phase Running',
      'Workflow progress: 2/4, phase Running',
      'Workflow progress: 3/4, phase Running',
      'Workflow progress: 4/4, phase Succeeded',
    ]);
  });

  it('reads the workflow again when its resourceVersion is too old (410 Gone)', async () => {
    const { code, name } = await submitAndWait({
      watchGone: 1,
      workflowScript: [
        { phase: 'Running', progress: '1/2' },
        { phase: 'Succeeded', progress: '2/2' },
      ],
    });
    expect(code).toBe(0);
    const gets = kube!.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/workflows/${name}`));
    expect(gets).toHaveLength(2);
    expect(watches(kube!, name)).toHaveLength(2);
  });

  it('stops waiting on Ctrl-C, leaving the workflow running', async () => {
    const controller = new AbortController();
    controller.abort();
    const { code, log, name } = await submitAndWait(
      { workflowScript: [{ phase: 'Running', progress: '1/10' }] },
      {},
      { signal: controller.signal },
    );
    expect(code).toBe(WAIT_EXIT.interrupted);
    expect(log).toContain(`Stopped waiting; workflow ${NS}/${name} keeps running on the cluster.`);
    expect(log).toContain(`kubectl -n ${NS} delete wf ${name}`);
    expect(kube!.object('Workflow', NS, name)!.status).toBeUndefined();
  });

  it('returns at once without waiting when waitForCompletion is false', async () => {
    kube = await startKubeApiServer({ namespaces: [NS] });
    const logger = capturingLogger();
    const code = await runDistributed(pipelineConfig(), { logger, kubeconfig: kube.writeKubeconfig(dir.path) });
    expect(code).toBe(0);
    expect(logger.text()).toContain('Not waiting for completion');
    expect(kube.requests.filter((r) => r.method === 'GET' && /\/workflows\/[^/]+$/.test(r.path))).toHaveLength(0);
  });
});
