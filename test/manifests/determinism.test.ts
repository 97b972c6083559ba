/** DESIGN.md "Argo shape" 9: byte-identical output, fixed names, and dist/ matching the examples. */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { synthExampleFiles } from '../../src/app.js';
import { synthPipelineFiles } from '../../src/manifests/index.js';
import { DIST_DIR, EXAMPLES_DIR, baseConfig, loadObject, readManifests } from './fixtures.js';

describe('synthesis', () => {
  it('is byte-identical from one run to the next', () => {
    const config = baseConfig({ schedule: '0 2 * * *', labels: { b: '2', a: '1' }, nodeSelector: { z: '1', y: '2' } });
    const first = synthPipelineFiles(loadObject(config));
    const second = synthPipelineFiles(loadObject(config));
    expect(second).toEqual(first);
    expect(synthExampleFiles()).toEqual(synthExampleFiles());
  });

  it('matches the committed dist/ exactly (a second cdk8s synth leaves git clean)', () => {
    for (const file of synthExampleFiles()) {
      expect(readFileSync(join(DIST_DIR, file.path), 'utf8'), file.path).toBe(file.content);
    }
    const written = readManifests(DIST_DIR).length;
    const synthesized = synthExampleFiles().filter((f) => !f.path.endsWith('kustomization.yaml')).length;
    expect(written).toBe(synthesized);
  });

  it('uses names without hashes: each is the pipeline name or the pipeline name plus a role suffix', () => {
    for (const { object } of readManifests(DIST_DIR)) {
      const metadata = object.metadata as { name: string; labels: Record<string, string> };
      const pipeline = metadata.labels['app.kubernetes.io/instance']!;
      expect(metadata.name).toMatch(new RegExp(`^${pipeline}(-(config|worker|submitter))?$`));
    }
  });

  it('orders keys the same way whatever order the config lists them in', () => {
    const a = synthPipelineFiles(loadObject(baseConfig({ labels: { b: '2', a: '1' } })));
    const b = synthPipelineFiles(loadObject(baseConfig({ labels: { a: '1', b: '2' } })));
    const withoutConfigMap = (files: typeof a) => files.filter((f) => !f.path.startsWith('configmap-'));
    expect(withoutConfigMap(a)).toEqual(withoutConfigMap(b));
  });
});

describe('the cdk8s app', () => {
  it('picks up every Argo example by itself and skips local ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'argo-ingest-examples-'));
    try {
      copyFileSync(join(EXAMPLES_DIR, 'postgres-local.yaml'), join(dir, 'postgres-local.yaml'));
      writeFileSync(join(dir, 'b-new.yaml'), stringify(baseConfig({ name: 'brand-new' })));
      writeFileSync(join(dir, 'a-other.yaml'), stringify(baseConfig({ name: 'another' })));
      const files = synthExampleFiles(dir);
      const folders = [...new Set(files.map((f) => f.path.split('/')[0]))];
      expect(folders).toEqual(['another', 'brand-new', 'kustomization.yaml']);
      expect(files.at(-1)!.content).toMatch(/resources:\n {2}- another\n {2}- brand-new\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses two examples that make the same pipeline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'argo-ingest-examples-'));
    try {
      writeFileSync(join(dir, 'one.yaml'), stringify(baseConfig()));
      writeFileSync(join(dir, 'two.yaml'), stringify(baseConfig()));
      expect(() => synthExampleFiles(dir)).toThrow(/both make the pipeline "warehouse-pg"; rename one/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
