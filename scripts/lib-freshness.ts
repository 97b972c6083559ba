/**
 * Whether the compiled lib/ is older than src/. bin/argo-ingest.js runs lib/ when it exists (the tsx
 * fallback only without it), so a stale lib/ silently runs old code: in the emulator's pods during
 * tests, and in benchmark runs. tsc rewrites every output file on a build, so lib/'s CLI entry tells when
 * the last build was.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The compiled CLI entry that bin/argo-ingest.js loads. */
export function builtEntry(root: string): string {
  return join(root, 'lib', 'src', 'cli', 'main.js');
}

/** 'missing' (no lib/), 'stale' (a file under src/ is newer) or 'fresh'. */
export function libFreshness(root: string): 'missing' | 'stale' | 'fresh' {
  const built = builtEntry(root);
  if (!existsSync(built)) return 'missing';
  return newestMtime(join(root, 'src')) > statSync(built).mtimeMs ? 'stale' : 'fresh';
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}
