/**
 * `mkdir -p` that always ends. Node's own `mkdir(dir, { recursive: true })` spins forever (100% CPU, the
 * promise never settles) when a parent exists but cannot hold the child, as under /proc, where mkdir
 * answers ENOENT for a path whose parent exists: it reads ENOENT as "create the parent first", the parent
 * answers EEXIST, and it tries the child again. Here each level is tried at most twice, so such a path
 * fails with the child's ENOENT instead of hanging the run.
 */
import { mkdirSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** Creates `dir` and its missing parents; an existing directory is fine. Throws the fs error otherwise. */
export async function makeDirectories(dir: string): Promise<void> {
  const target = resolve(dir);
  try {
    await mkdir(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if (!(await stat(target)).isDirectory()) throw notADirectory(target);
      return;
    }
    const parent = dirname(target);
    if (code !== 'ENOENT' || parent === target) throw error;
    await makeDirectories(parent);
    await mkdir(target).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again;
    });
  }
}

/** The synchronous twin of makeDirectories. */
export function makeDirectoriesSync(dir: string): void {
  const target = resolve(dir);
  try {
    mkdirSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if (!statSync(target).isDirectory()) throw notADirectory(target);
      return;
    }
    const parent = dirname(target);
    if (code !== 'ENOENT' || parent === target) throw error;
    makeDirectoriesSync(parent);
    try {
      mkdirSync(target);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again;
    }
  }
}

function notADirectory(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${path}'`), { code: 'ENOTDIR', path });
}
