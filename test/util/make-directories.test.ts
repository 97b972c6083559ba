/**
 * mkdir -p that ends: where Node's recursive mkdir spins forever (a path under /proc), the run gets an
 * error naming the path instead of hanging; the file sink and `synth -o` use it.
 */
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/util/logger.js';
import { SinkError } from '../../src/sink/contract.js';
import { FileSink } from '../../src/sink/file.js';
import { makeDirectories, makeDirectoriesSync } from '../../src/util/make-directories.js';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'make-dirs-'));
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'not a directory\n');
// procfs answers ENOENT for a child of an existing directory: the case Node's recursive mkdir loops on.
const underProc = '/proc/argo-ingest-no-such-dir/out';
const hasProc = existsSync('/proc/self');

describe.each([
  ['makeDirectories', (path: string) => makeDirectories(path)],
  ['makeDirectoriesSync', async (path: string) => makeDirectoriesSync(path)],
])('%s', (name, make) => {
  it('creates every missing level, and accepts a directory that exists', async () => {
    const deep = join(dir, name, 'a', 'b', 'c');
    await make(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    await expect(make(deep)).resolves.toBeUndefined();
  });

  it('fails with ENOTDIR when a level is a file', async () => {
    await expect(make(join(aFile, 'sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});

// Only the async variant: were the sync one to regress, it would block the test worker for good.
it.skipIf(!hasProc)('makeDirectories fails with ENOENT under /proc instead of spinning', async () => {
  await expect(makeDirectories(underProc)).rejects.toMatchObject({ code: 'ENOENT' });
});

describe('where argo-ingest creates directories', () => {
  it.skipIf(!hasProc)('the file sink names its file when the folder cannot be made under /proc', async () => {
    const sink = new FileSink({ filename: join(underProc, 'dry-run.jsonl'), logger: silentLogger });
    const failure = await sink.check().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SinkError);
    expect((failure as Error).message).toContain(`file sink's file ${underProc}/dry-run.jsonl (ENOENT)`);
  });

  it('synth -o below a file says which directory it cannot create, and exits 1', async () => {
    const { code, stderr } = await runCli([
      'synth',
      '-c',
      'examples/postgres-distributed.yaml',
      '-o',
      join(aFile, 'x'),
    ]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `error: cannot create the directory ${aFile} (ENOTDIR); choose another output directory (-o)\n`,
    );
  });
});
