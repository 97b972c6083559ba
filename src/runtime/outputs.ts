/**
 * The files the worker steps write for Argo (output parameters read with `valueFrom.path`). The
 * template fixes the paths under WORK_DIR; `--output-dir` moves the same file names elsewhere (tests,
 * local runs).
 */
import { writeFile } from 'node:fs/promises';
import { makeDirectories } from '../util/make-directories.js';
import { basename, join } from 'node:path';
import {
  OUTPUT_FILES,
  encodeNotIngested,
  encodeShardResult,
  type NotIngested,
  type ShardResult,
} from './worker-contract.js';

export function outputPath(dir: string, file: keyof typeof OUTPUT_FILES): string {
  return join(dir, basename(OUTPUT_FILES[file]));
}

export async function writeDiscoverOutputs(
  dir: string,
  outputs: { readonly shards: number; readonly entities: number; readonly notIngested: NotIngested },
): Promise<void> {
  await makeDirectories(dir);
  // Plain decimal integers without a newline: Argo passes the file's content verbatim to withSequence.
  await writeFile(outputPath(dir, 'shards'), String(outputs.shards));
  await writeFile(outputPath(dir, 'entities'), String(outputs.entities));
  // Always written, also when empty: Argo fails a step whose output parameter file is missing.
  await writeFile(outputPath(dir, 'notIngested'), encodeNotIngested(outputs.notIngested));
}

export async function writeShardResult(dir: string, result: ShardResult): Promise<void> {
  await makeDirectories(dir);
  // One short line (see encodeShardResult); the pod log has every failure.
  await writeFile(outputPath(dir, 'result'), encodeShardResult(result));
}
