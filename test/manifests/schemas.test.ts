/**
 * Every object of dist/ and of synth output validates against both vendored Argo CRD versions (unknown
 * fields caught) or, for core kinds, against the Kubernetes models; `kubectl kustomize dist/` builds.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { synthPipelineObjects } from '../../src/manifests/index.js';
import { manifestProblems } from '../support/manifest-problems.js';
import {
  DIST_DIR,
  baseConfig,
  exampleFiles,
  isArgoExample,
  loadExample,
  loadObject,
  readManifests,
} from './fixtures.js';

const problems = manifestProblems;

/** Variants that switch on every optional part of the manifests. */
const VARIANTS: Record<string, Record<string, unknown>> = {
  defaults: {},
  'everything on': {
    schedule: '30 1 * * 1-5',
    timezone: 'America/New_York',
    concurrencyPolicy: 'Replace',
    submitter: { serviceAccount: 'ingestion-ci' },
    serviceAccount: 'existing-sa',
    labels: { team: 'data' },
    nodeSelector: { pool: 'batch', 'kubernetes.io/arch': 'amd64' },
    tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }],
    imagePullSecrets: ['pull-a', 'pull-b'],
    secrets: { name: 'shared-creds', variables: { PG_PASSWORD: { secret: 'pg', key: 'password' } } },
    argoVersion: '3.6',
    retryPolicy: { maxAttempts: 1 },
  },
  'argo v4': { argoVersion: 'v4.1.2', parallelism: 500, shardFactor: 20 },
};

describe('dist/', () => {
  const manifests = readManifests(DIST_DIR);

  it('holds a folder for every Argo example', () => {
    const argoExamples = exampleFiles().filter(isArgoExample);
    expect(argoExamples.length).toBeGreaterThanOrEqual(4);
    expect(manifests.filter((m) => m.object.kind === 'WorkflowTemplate')).toHaveLength(argoExamples.length);
  });

  it.each(readManifests(DIST_DIR).map((m) => [m.file.slice(DIST_DIR.length + 1), m.object] as const))(
    '%s validates',
    (_file, object) => {
      expect(problems(object)).toEqual([]);
    },
  );

  it('builds with kubectl kustomize', () => {
    const output = execFileSync('kubectl', ['kustomize', DIST_DIR], { encoding: 'utf8' });
    const kinds = [...output.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);
    expect(kinds).toHaveLength(manifests.length);
    expect(kinds).toContain('WorkflowTemplate');
    expect(kinds).toContain('CronWorkflow');
  });
});

describe('synth output', () => {
  it.each(exampleFiles().filter(isArgoExample))('of examples/%s validates', (name) => {
    for (const object of synthPipelineObjects(loadExample(name))) expect(problems(object)).toEqual([]);
  });

  it.each(Object.entries(VARIANTS))('with %s validates', (_name, distributed) => {
    const objects = synthPipelineObjects(loadObject(baseConfig(distributed)));
    expect(objects.length).toBeGreaterThanOrEqual(4);
    for (const object of objects) expect(problems(object)).toEqual([]);
  });
});
