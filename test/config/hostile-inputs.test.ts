/**
 * Config inputs that must not hang, exhaust memory or crash: non-regular files, YAML that expands without
 * bound, bytes that are not UTF-8, a config too big for its ConfigMap. Each: exit 2, one line naming
 * the file, within seconds, nothing written.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const root = join(import.meta.dirname, '..', '..');
const example = readFileSync(join(root, 'examples', 'postgres-distributed.yaml'), 'utf8');

describe('config inputs that cannot hurt', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'argo-ingest-hostile-'));
  });

  async function refused(file: string, expected: RegExp, command: 'validate' | 'synth' = 'validate') {
    const out = join(dir, 'out');
    const started = Date.now();
    const args = command === 'synth' ? ['synth', '-c', file, '-o', out] : ['validate', '-c', file];
    const result = await runCli(args);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
    expect(result.stderr).not.toContain('This is a bug');
    expect(existsSync(out)).toBe(false);
    return lines[0]!;
  }

  it('refuses a FIFO instead of blocking on it', async () => {
    const fifo = join(dir, 'config.fifo');
    execFileSync('mkfifo', [fifo]);
    await refused(fifo, /config\.fifo: is a FIFO, not a regular file/);
  });

  it('refuses /dev/zero instead of reading it forever', async () => {
    await refused('/dev/zero', /^error: \/dev\/zero: is a device, not a regular file/);
  });

  it('refuses YAML aliases of aliases, with the line of the first alias', async () => {
    const file = join(dir, 'bomb.yaml');
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [name, prev] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
    ]) {
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    await refused(file, /bomb\.yaml:2: YAML aliases \(\*name\) expand to too much data/, 'synth');
  });

  it('refuses bytes that are not UTF-8, naming the line', async () => {
    const file = join(dir, 'latin1.yaml');
    const text = example.replace(/serviceName: .*/, 'serviceName: caf\u00e9');
    const line = text.split('\n').findIndex((l) => l.includes('serviceName: caf')) + 1;
    writeFileSync(file, Buffer.from(text, 'latin1'));
    await refused(file, new RegExp(`latin1\\.yaml:${line}: is not valid UTF-8 \\(byte 0xE9`), 'synth');
  });

  it('refuses an Argo config too big for its ConfigMap (1 MiB)', async () => {
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, `${example}\n# ${'x'.repeat(1024 * 1024)}\n`);
    await refused(
      file,
      /huge\.yaml: is \d+ bytes; on Argo the config travels in a ConfigMap, which Kubernetes limits to 1048576 bytes/,
      'synth',
    );
  });

  it('wrote nothing', () => {
    expect(readdirSync(dir).sort()).toEqual(['bomb.yaml', 'config.fifo', 'huge.yaml', 'latin1.yaml']);
  });
});
