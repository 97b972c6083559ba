/**
 * Where a benchmark run loads argo-ingest from: the compiled `lib/` (what `bin/argo-ingest.js` and the
 * worker image run), or `src/` through tsx with BENCH_SOURCE=src. tsx compiles `src/` with esbuild's
 * keepNames, which wraps every function it creates in a `__name` call: measurable in a hot path, and not
 * what users run. A `lib/` older than a file of `src/` is refused, so a figure is never one of old code.
 */
import { libFreshness } from '../scripts/lib-freshness.js';

export type ProductSource = 'lib' | 'src';

export function productSource(root: string): ProductSource {
  if (process.env.BENCH_SOURCE === 'src') return 'src';
  const state = libFreshness(root);
  if (state === 'missing') throw new Error('lib/ is missing: run `npm run build` first (or set BENCH_SOURCE=src)');
  if (state === 'stale')
    throw new Error('lib/ is older than src/: run `npm run build` first (or set BENCH_SOURCE=src)');
  return 'lib';
}
