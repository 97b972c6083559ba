/**
 * `cdk8s synth` in examples/cdk8s-app (the CLI, its cdk8s.yaml, tsx): the manifests it writes are the
 * objects the app declares, and each validates like dist/.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { build } from '../../examples/cdk8s-app/main.js';
import { manifestProblems } from '../support/manifest-problems.js';

const APP_DIR = new URL('../../examples/cdk8s-app/', import.meta.url).pathname;

describe('cdk8s synth of examples/cdk8s-app', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk8s-app-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('writes the declared objects, each valid against the Argo CRDs or the Kubernetes models', () => {
    execFileSync('npx', ['cdk8s', 'synth', '--check-upgrade=false', '--output', outdir], {
      cwd: APP_DIR,
      stdio: 'pipe',
      timeout: 120_000,
    });
    const files = readdirSync(outdir).sort();
    expect(files).toEqual(['ingestion.k8s.yaml']);
    const written = parseAllDocuments(readFileSync(join(outdir, files[0]!), 'utf8')).map(
      (doc) => doc.toJS() as Record<string, unknown>,
    );
    const declared = build(Testing.app()).charts.flatMap((chart) => chart.toJson() as Record<string, unknown>[]);
    expect(written).toEqual(declared);
    expect(written.length).toBeGreaterThanOrEqual(10);
    for (const object of written) expect(manifestProblems(object)).toEqual([]);
  });
});
