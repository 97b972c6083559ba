import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { runCli } from '../support/cli.js';
import { EXAMPLES_DIR, baseConfig } from './fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'argo-ingest-synth-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function setIn(object: Record<string, unknown>, path: string[], value: unknown): void {
  let node = object;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path.at(-1)!] = value;
}

function configFile(name: string, config: Record<string, unknown>): string {
  const file = join(work, name);
  writeFileSync(file, stringify(config));
  return file;
}

describe('argo-ingest synth', () => {
  it('writes one file per object plus kustomization.yaml, and says how to create the Secret', async () => {
    const out = join(work, 'out-ok');
    const result = await runCli(['synth', '-c', join(EXAMPLES_DIR, 'postgres-daily.yaml'), '-o', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      'configmap-warehouse-pg-daily-config.yaml',
      'cronworkflow-warehouse-pg-daily.yaml',
      'kustomization.yaml',
      'role-warehouse-pg-daily-submitter.yaml',
      'role-warehouse-pg-daily-worker.yaml',
      'rolebinding-warehouse-pg-daily-submitter.yaml',
      'rolebinding-warehouse-pg-daily-worker.yaml',
      'serviceaccount-warehouse-pg-daily-worker.yaml',
      'workflowtemplate-warehouse-pg-daily.yaml',
    ]);
    expect(result.stdout).toContain(
      'kubectl -n openmetadata create secret generic warehouse-pg-daily-credentials --from-literal=OM_JWT_TOKEN=...',
    );
    expect(readFileSync(join(out, 'kustomization.yaml'), 'utf8')).toContain(
      '- workflowtemplate-warehouse-pg-daily.yaml',
    );
  });

  it('replaces its own earlier output, leaving no stale files', async () => {
    const out = join(work, 'out-again');
    const first = configFile('first.yaml', baseConfig({ schedule: '0 2 * * *' }));
    const second = configFile('second.yaml', baseConfig());
    expect((await runCli(['synth', '-c', first, '-o', out])).code).toBe(0);
    expect(readdirSync(out)).toContain('cronworkflow-warehouse-pg.yaml');
    expect((await runCli(['synth', '-c', second, '-o', out])).code).toBe(0);
    expect(readdirSync(out)).not.toContain('cronworkflow-warehouse-pg.yaml');
  });

  it('prints a multi-document stream with --stdout and writes nothing', async () => {
    const result = await runCli(['synth', '-c', configFile('stdout.yaml', baseConfig()), '--stdout', '-n', 'staging']);
    expect(result.code).toBe(0);
    const docs = parseAllDocuments(result.stdout).map(
      (d) => d.toJS() as { kind: string; metadata: { namespace: string } },
    );
    expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'ServiceAccount', 'Role', 'RoleBinding', 'WorkflowTemplate']);
    for (const doc of docs) expect(doc.metadata.namespace).toBe('staging');
  });

  it.each([
    [
      'a literal password',
      baseConfig(),
      (c: Record<string, unknown>) =>
        setIn(c, ['source', 'serviceConnection', 'config', 'authType', 'password'], 'hunter2'),
      /authType\.password: holds a literal secret/,
    ],
    ['a local orchestrator', baseConfig({ orchestrator: 'local' }), () => undefined, /orchestrator: is "local"/],
    ['a bad time zone', baseConfig({ schedule: '0 2 * * *', timezone: 'Nowhere/Town' }), () => undefined, /timezone/],
    ['parallelism 0', baseConfig({ parallelism: 0 }), () => undefined, /parallelism: must be at least 1/],
  ])(
    'with %s: exit 2, one line per problem, no stack trace, nothing written',
    async (_what, config, mutate, message) => {
      mutate(config);
      const out = join(work, `bad-${Math.random().toString(36).slice(2)}`);
      const result = await runCli(['synth', '-c', configFile('bad.yaml', config), '-o', out]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/^error: /);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr).not.toContain('hunter2');
      expect(result.stdout).toBe('');
      expect(existsSync(out)).toBe(false);
    },
  );

  it('keeps an earlier output intact when the new config is bad', async () => {
    const out = join(work, 'kept');
    expect((await runCli(['synth', '-c', configFile('good.yaml', baseConfig()), '-o', out])).code).toBe(0);
    const before = readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8'));
    const bad = await runCli(['synth', '-c', configFile('bad2.yaml', baseConfig({ parallelism: -1 })), '-o', out]);
    expect(bad.code).toBe(2);
    expect(readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8'))).toEqual(before);
  });

  it('refuses to replace a directory with files it did not write', async () => {
    const out = join(work, 'foreign');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const result = await runCli(['synth', '-c', configFile('ok.yaml', baseConfig()), '-o', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/holds files argo-ingest did not write \(notes\.txt\)/);
    expect(readdirSync(out)).toEqual(['notes.txt']);
  });

  it('refuses --stdout together with --output', async () => {
    const result = await runCli(['synth', '-c', configFile('x.yaml', baseConfig()), '--stdout', '-o', join(work, 'x')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/either --output DIR or --stdout/);
  });

  it('teaches with --help: what it writes, and examples', async () => {
    const result = await runCli(['synth', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Examples:\n\s+argo-ingest synth -c examples\/postgres-distributed\.yaml -o/);
    expect(result.stdout).toContain('kubectl apply -k');
    expect(result.stdout).toContain('<name>-credentials');
  });
});
