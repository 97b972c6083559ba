/**
 * The file sink at paths that are not regular files: /dev/stdout piped to another program (must not
 * read it back and hang), /dev/full (a clear error, no crash), and a bad run creating no file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/util/logger.js';
import { FileSink } from '../../src/sink/index.js';
import { table } from './fixtures.js';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'argo-ingest-file-sink-special-'));
const logger = createLogger('ERROR', () => undefined);

describe('file sink at special paths', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes to /dev/stdout piped to another program without reading it back (no hang)', () => {
    const script = join(dir, 'to-stdout.mts');
    writeFileSync(
      script,
      [
        `import { FileSink } from ${JSON.stringify(join(root, 'src', 'sink', 'file.ts'))};`,
        `const logger = { debug() {}, info() {}, warn() {}, error() {} };`,
        `const sink = new FileSink({ filename: '/dev/stdout', logger });`,
        `await sink.check();`,
        `await sink.upsert({ kind: 'table', fqn: 's.d.x.t1', body: {} });`,
        `await sink.upsert({ kind: 'table', fqn: 's.d.x.t2', body: {} });`,
        `await sink.close();`,
      ].join('\n'),
    );
    const started = Date.now();
    // A shell pipe (spawnSync's own stdout is a socket, which /dev/stdout cannot be reopened on).
    const result = spawnSync('sh', ['-c', `"${process.execPath}" --import tsx "${script}" | cat`], {
      cwd: root,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.signal, `stderr: ${result.stderr}`).toBeNull();
    expect(result.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { fqn: string });
    expect(lines.map((l) => l.fqn)).toEqual(['s.d.x.t1', 's.d.x.t2']);
  });

  it('reports /dev/full as a clear error instead of crashing', async () => {
    const sink = new FileSink({ filename: '/dev/full', logger });
    await sink.check();
    const big = { ...table('t1'), body: { description: 'x'.repeat(200_000) } };
    const failed = await (async () => {
      for (let i = 0; i < 3; i++) await sink.upsert({ ...big, fqn: `f${i}` });
      await sink.close();
    })().then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failed?.message).toMatch(
      /Cannot write the file sink's file \/dev\/full \(ENOSPC, no space left on the device\)/,
    );
  });

  it('checks a new file without creating it', async () => {
    const file = join(dir, 'sub', 'never.jsonl');
    await new FileSink({ filename: file, logger }).check();
    expect(existsSync(file)).toBe(false);
    await expect(new FileSink({ filename: '/proc/version/x.jsonl', logger }).check()).rejects.toThrow(/Cannot write/);
  });
});
