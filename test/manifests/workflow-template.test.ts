/** The WorkflowTemplate's shape: DESIGN.md "Argo shape" 1-6, 9 and 13. */
import { describe, expect, it } from 'vitest';
import { argoRetryStrategy, synthPipelineObjects } from '../../src/manifests/index.js';
import {
  OUTPUT_FILES,
  RESULTS_FILE,
  WORK_DIR,
  OUTPUT_PARAMETERS,
  discoverArgs,
  finalizeArgs,
  processArgs,
} from '../../src/runtime/worker-contract.js';
import { baseConfig, byKind, loadObject, templateSpec } from './fixtures.js';

const RETRY = { maxAttempts: 3, backoffSeconds: 60, backoffFactor: 2, maxBackoffSeconds: 600 };
const synth = (distributed: Record<string, unknown> = {}) => synthPipelineObjects(loadObject(baseConfig(distributed)));
const spec = templateSpec(synth({ parallelism: 30 }));
const tmpl = (name: string) => spec.templates.find((t) => t.name === name)!;
const ARGO_NAME = /^[a-zA-Z0-9][-a-zA-Z0-9]*$/;

describe('the fan-out', () => {
  const steps = tmpl(spec.entrypoint).steps!;
  const fanOut = steps[1]![0]!;

  it('runs discover, then the shards, then finalize', () => {
    expect(steps.map((group) => group.map((s) => s.name))).toEqual([['discover'], ['process'], ['finalize']]);
  });

  it('iterates over shard numbers from discover, never over an entity list', () => {
    expect(fanOut.withSequence).toEqual({ count: `{{steps.discover.outputs.parameters.${OUTPUT_PARAMETERS.shards}}}` });
    expect(fanOut.withParam).toBeUndefined();
    expect(fanOut.withItems).toBeUndefined();
    expect(fanOut.arguments!.parameters).toEqual([
      { name: 'shard', value: '{{item}}' },
      { name: 'shards', value: '{{steps.discover.outputs.parameters.shards}}' },
    ]);
  });

  it('puts parallelism on the fan-out template and the spec, not on the step', () => {
    expect(tmpl(spec.entrypoint).parallelism).toBe(30);
    expect(spec.parallelism).toBe(30);
    expect(fanOut).not.toHaveProperty('parallelism');
  });

  it('keeps going when a shard fails, and hands every shard result to finalize', () => {
    expect(fanOut.continueOn).toEqual({ failed: true, error: true });
    expect(tmpl('process-shard').outputs!.parameters).toEqual([
      { name: OUTPUT_PARAMETERS.result, valueFrom: { path: OUTPUT_FILES.result } },
    ]);
    expect(steps[2]![0]!.arguments).toEqual({
      parameters: [
        { name: 'entities', value: '{{steps.discover.outputs.parameters.entities}}' },
        { name: 'shards', value: '{{steps.discover.outputs.parameters.shards}}' },
        { name: 'not-ingested', value: '{{steps.discover.outputs.parameters.not-ingested}}' },
      ],
      // The aggregate of every output map: always set, `[]` when no shard succeeded.
      artifacts: [{ name: 'results', raw: { data: '{{steps.process.outputs.parameters}}' } }],
    });
  });

  it('reads the shard count, entity count and not-ingested report from the files discover writes', () => {
    expect(tmpl('discover').outputs!.parameters).toEqual([
      { name: 'shards', valueFrom: { path: OUTPUT_FILES.shards } },
      { name: 'entities', valueFrom: { path: OUTPUT_FILES.entities } },
      { name: 'not-ingested', valueFrom: { path: OUTPUT_FILES.notIngested, default: '{"count":0,"listed":[]}' } },
    ]);
  });

  it('does not grow with the estate: only parallelism digits change between 1 and 500 pods', () => {
    const small = JSON.stringify(synth({ parallelism: 1, shardFactor: 1 }));
    const large = JSON.stringify(synth({ parallelism: 500, shardFactor: 20 }));
    expect(Math.abs(large.length - small.length)).toBeLessThanOrEqual(8);
    expect(large.length).toBeLessThan(32_000);
  });
});

describe('the containers', () => {
  it('run the command lines of the worker contract', () => {
    expect(tmpl('discover').container!.args).toEqual(discoverArgs());
    expect(tmpl('process-shard').container!.args).toEqual(
      processArgs('{{inputs.parameters.shard}}', '{{inputs.parameters.shards}}'),
    );
    expect(tmpl('finalize').container!.args).toEqual(
      finalizeArgs(
        '{{inputs.parameters.entities}}',
        '{{inputs.parameters.shards}}',
        '{{inputs.parameters.not-ingested}}',
      ),
    );
    // The shard results reach finalize once, as a raw argument artifact written inside the work
    // emptyDir, never as an argument (which Linux caps at 128 KiB) nor on the read-only root.
    expect(tmpl('finalize').inputs).toEqual({
      parameters: [{ name: 'entities' }, { name: 'shards' }, { name: 'not-ingested' }],
      artifacts: [{ name: 'results', path: RESULTS_FILE }],
    });
    expect(RESULTS_FILE.startsWith(`${WORK_DIR}/`)).toBe(true);
    for (const t of spec.templates.filter((t) => t.container)) expect(t.container!.command).toEqual(['argo-ingest']);
  });

  it('get the seed\'s "medium" resources by default, and the configured ones otherwise', () => {
    for (const t of spec.templates.filter((t) => t.container)) {
      expect(t.container!.resources).toEqual({
        requests: { cpu: '500m', memory: '1Gi' },
        limits: { cpu: '1', memory: '2Gi' },
      });
    }
    const custom = templateSpec(
      synth({ resourceRequests: { cpu: '2', memory: '4Gi' }, resourceLimits: { cpu: '4', memory: '8Gi' } }),
    );
    expect(custom.templates[1]!.container!.resources).toEqual({
      requests: { cpu: '2', memory: '4Gi' },
      limits: { cpu: '4', memory: '8Gi' },
    });
  });
});

describe('retries', () => {
  it('map maxAttempts 3, backoff 60 s, factor 2, max 600 s to limit 2, 60s, 2, cap 600s on Argo 3.7', () => {
    expect(argoRetryStrategy(RETRY, '3.7')).toEqual({
      limit: 2,
      retryPolicy: 'Always',
      backoff: { duration: '60s', factor: 2, cap: '600s' },
    });
    expect(tmpl('process-shard').retryStrategy).toEqual({
      limit: 2,
      retryPolicy: 'Always',
      backoff: { duration: '60s', factor: 2, cap: '600s' },
    });
  });

  it('leave out backoff.cap before Argo 3.7 and keep it on v4', () => {
    expect(argoRetryStrategy(RETRY, '3.6')!.backoff).toEqual({ duration: '60s', factor: 2 });
    expect(argoRetryStrategy(RETRY, 'v3.6.12')!.backoff).not.toHaveProperty('cap');
    expect(argoRetryStrategy(RETRY, '4.1.2')!.backoff.cap).toBe('600s');
    const old = templateSpec(synth({ argoVersion: '3.6', retryPolicy: RETRY }));
    expect(old.templates.find((t) => t.name === 'discover')!.retryStrategy).toEqual({
      limit: 2,
      retryPolicy: 'Always',
      backoff: { duration: '60s', factor: 2 },
    });
  });

  it('are off for maxAttempts 1, and never on finalize (its threshold failure is final)', () => {
    expect(argoRetryStrategy({ ...RETRY, maxAttempts: 1 }, '3.7')).toBeUndefined();
    expect(tmpl('finalize').retryStrategy).toBeUndefined();
  });

  it('refuse a non-integer backoff factor with a message', () => {
    expect(() => loadObject(baseConfig({ retryPolicy: { ...RETRY, backoffFactor: 1.5 } }))).toThrow(
      /retryPolicy\.backoffFactor: must be a whole number/,
    );
  });
});

describe('housekeeping and names', () => {
  it('sets the deadline, pod GC, TTL and the ServiceAccount', () => {
    const timed = templateSpec(synth({ timeoutSeconds: 600 }));
    expect(timed.activeDeadlineSeconds).toBe(600);
    expect(spec.activeDeadlineSeconds).toBe(86_400);
    expect(spec.podGC).toEqual({ strategy: 'OnPodSuccess' });
    expect(spec.ttlStrategy).toEqual({ secondsAfterSuccess: 86_400, secondsAfterFailure: 604_800 });
    expect(spec.serviceAccountName).toBe('warehouse-pg-worker');
    expect(templateSpec(synth({ serviceAccount: 'mine' })).serviceAccountName).toBe('mine');
  });

  it('uses valid template and step names', () => {
    for (const t of spec.templates) {
      expect(t.name).toMatch(ARGO_NAME);
      for (const group of t.steps ?? []) for (const step of group) expect(step.name).toMatch(ARGO_NAME);
    }
  });

  it('keeps room for Argo suffixes: a Workflow (name + "-xxxxx") <= 63, a CronWorkflow <= 52', () => {
    const name = 'n'.repeat(45); // the longest pipeline name the config allows
    const objects = synth({ name, schedule: '0 2 * * *' });
    const [template] = byKind(objects, 'WorkflowTemplate');
    const [cron] = byKind(objects, 'CronWorkflow');
    expect(`${(template!.metadata as { name: string }).name}-abcde`.length).toBeLessThanOrEqual(63);
    expect((cron!.metadata as { name: string }).name.length).toBeLessThanOrEqual(52);
  });

  it('names everything after source.serviceName, with recommended labels and no hashes', () => {
    const objects = synth({ submitter: { serviceAccount: 'ci' }, schedule: '0 2 * * *' });
    expect(objects.map((o) => `${String(o.kind)}/${(o.metadata as { name: string }).name}`)).toEqual([
      'ConfigMap/warehouse-pg-config',
      'ServiceAccount/warehouse-pg-worker',
      'Role/warehouse-pg-worker',
      'Role/warehouse-pg-submitter',
      'RoleBinding/warehouse-pg-worker',
      'RoleBinding/warehouse-pg-submitter',
      'WorkflowTemplate/warehouse-pg',
      'CronWorkflow/warehouse-pg',
    ]);
    for (const o of objects) {
      expect((o.metadata as { labels: Record<string, string> }).labels).toMatchObject({
        'app.kubernetes.io/name': 'argo-ingest',
        'app.kubernetes.io/instance': 'warehouse-pg',
        'app.kubernetes.io/part-of': 'openmetadata-ingestion',
        'app.kubernetes.io/managed-by': 'argo-ingest',
      });
      expect(o.metadata).not.toHaveProperty('generateName');
      expect((o.metadata as { namespace: string }).namespace).toBe('ingestion');
    }
  });
});

describe('the CronWorkflow', () => {
  it('exists only with a schedule, uses `schedules`, the time zone and Forbid by default', () => {
    expect(byKind(synth(), 'CronWorkflow')).toEqual([]);
    const [cron] = byKind(synth({ schedule: '0  2 * * *', timezone: 'Europe/Berlin' }), 'CronWorkflow');
    expect(cron!.spec).toMatchObject({
      schedules: ['0 2 * * *'],
      timezone: 'Europe/Berlin',
      concurrencyPolicy: 'Forbid',
      workflowSpec: { workflowTemplateRef: { name: 'warehouse-pg' } },
    });
    expect(cron!.spec).not.toHaveProperty('schedule');
  });

  it('refuses an unknown time zone, naming the field', () => {
    expect(() => synth({ schedule: '0 2 * * *', timezone: 'Mars/Olympus' })).toThrow(
      /distributedExecution\.timezone: "Mars\/Olympus" is not an IANA time zone/,
    );
  });
});

describe('configs that are not Argo pipelines', () => {
  it('are refused with the field to change', () => {
    expect(() => synth({ orchestrator: 'local' })).toThrow(/distributedExecution\.orchestrator: is "local"/);
    expect(() => synth({ enabled: false })).toThrow(/distributedExecution\.enabled: distributed execution is off/);
  });
});
