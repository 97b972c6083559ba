/**
 * Where a benchmark run loads argo-ingest from: the compiled `lib/` (what `bin/argo-ingest.js` and the
 * worker image run), or `src/` through tsx with BENCH_SOURCE=src. tsx compiles `src/` with esbuild's
 * keepNames, which wraps every function it creates in a `__name` call: measurable in a hot path, and not
 * what users run. A `lib/` older than a file of `src/` is refused, so a figure is never one of old code.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type ProductSource = 'lib' | 'src';

export function productSource(root: string): ProductSource {
  if (process.env.BENCH_SOURCE === 'src') return 'src';
  const built = join(root, 'lib', 'src', 'cli', 'main.js');
  if (!existsSync(built)) throw new Error('lib/ is missing: run `npm run build` first (or set BENCH_SOURCE=src)');
  const newest = newestMtime(join(root, 'src'));
  if (newest > statSync(built).mtimeMs) {
    throw new Error('lib/ is older than src/: run `npm run build` first (or set BENCH_SOURCE=src)');
  }
  return 'lib';
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}
