/**
 * Runs once before the test files. The emulator runs `bin/argo-ingest.js` as every pod, and that runs the
 * compiled lib/ when there is one: a lib/ older than src/ would have the emulator tests check old code
 * while passing. So a stale lib/ is rebuilt first (about 7 s); without lib/ the bin runs src/ through tsx.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { libFreshness } from '../../scripts/lib-freshness.js';

export default function setup(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  if (libFreshness(root) !== 'stale') return;
  process.stderr.write(
    'lib/ is older than src/: rebuilding it (npm run build) so that bin/argo-ingest.js runs this code\n',
  );
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}
