/**
 * The installed entry point, as a separate process: what a shell or CI pipeline sees (exit status,
 * stdout / stderr), through bin/argo-ingest.js (the compiled lib/ when built, else the sources via tsx).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'argo-ingest.js');

function argoIngest(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bin/argo-ingest.js', () => {
  it('lists every command in --help', () => {
    const { code, stdout } = argoIngest('--help');
    expect(code).toBe(0);
    for (const command of ['validate', 'synth', 'run', 'plan', 'demo', 'worker']) {
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  });

  it('validates an example and exits 0', () => {
    const { code, stdout } = argoIngest('validate', '-c', 'examples/postgres-distributed.yaml');
    expect(code).toBe(0);
    expect(stdout).toContain('DISTRIBUTED on Argo Workflows');
  });

  it('exits 2 on a bad config with one line per problem and no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'argo-ingest-bin-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'source:\n  type: postgres\nsinks: {}\n');
    const { code, stdout, stderr } = argoIngest('validate', '-c', file);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${file}:3: sinks: unknown key "sinks" (did you mean "sink"?)`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on an unknown command and says how to get help', () => {
    const { code, stderr } = argoIngest('synthesize');
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command 'synthesize'/);
    expect(stderr).toContain('--help');
  });
});
