import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_MARKER, OutputDirectoryError, replaceDirectory } from '../../src/manifests/write.js';

const file = (path: string) => ({ path, content: `${GENERATED_MARKER}\nkind: X\n` });

describe('replaceDirectory', () => {
  it('writes nested files and replaces a directory it wrote before', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'write-')), 'out', 'pipeline');
    replaceDirectory(dir, [file('a.yaml'), file('sub/b.yaml')]);
    replaceDirectory(dir, [file('c.yaml')]);
    expect(readFileSync(join(dir, 'c.yaml'), 'utf8')).toContain('kind: X');
    expect(() => readFileSync(join(dir, 'a.yaml'))).toThrow();
  });

  it('refuses a directory holding files it did not write, and leaves them alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'write-'));
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expect(() => replaceDirectory(dir, [file('a.yaml')])).toThrow(
      /holds files argo-ingest did not write \(notes\.txt\)/,
    );
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('names the directory it cannot create (below a regular file) instead of hanging or crashing', () => {
    const base = mkdtempSync(join(tmpdir(), 'write-'));
    writeFileSync(join(base, 'a-file'), '');
    mkdirSync(join(base, 'ok'));
    const target = join(base, 'a-file', 'nested', 'pipeline');
    let error: unknown;
    try {
      replaceDirectory(target, [file('a.yaml')]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OutputDirectoryError);
    expect((error as Error).message).toMatch(
      /cannot create .*a-file\/nested \(ENOTDIR\); choose another output directory/,
    );
  });
});
