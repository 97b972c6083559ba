/**
 * `$ARGO_PROGRESS_FILE`: Argo's executor reads `N/M` from it and shows it in the UI's progress column.
 * Each value is written to a temporary file and renamed over the target, so a reader never sees a
 * half-written file. A failure to write is logged once and never fails the shard (progress is cosmetic).
 */
import { rename, writeFile } from 'node:fs/promises';
import type { Logger } from '../util/logger.js';

export interface ProgressFile {
  /** Resolves once `N/M` is in place. */
  update(done: number, total: number): Promise<void>;
}

export function progressFile(path: string | undefined, logger: Logger): ProgressFile {
  let warned = false;
  return {
    async update(done, total) {
      if (!path) return;
      const temporary = `${path}.${process.pid}.tmp`;
      try {
        await writeFile(temporary, `${done}/${total}`);
        await rename(temporary, path);
      } catch (error) {
        if (warned) return;
        warned = true;
        logger.warn(`Cannot write progress to ${path}: ${(error as Error).message}`);
      }
    },
  };
}
