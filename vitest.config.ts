import { defineConfig } from 'vitest/config';

/**
 * Files that start real servers or processes (PostgreSQL, MariaDB, the CLI, the demo's whole pipeline).
 * They run in their own project, each file in a fresh process, and first: they are the longest, so the
 * quick unit files fill the other worker around them.
 */
const E2E = [
  'test/e2e/**/*.test.ts',
  'test/demo/**/*.test.ts',
  'test/cli/bin.test.ts',
  'test/cluster/plan-postgres.test.ts',
  'test/sources/mssql/mssql-options.test.ts',
  'test/sources/mysql/mysql-source.test.ts',
  'test/sources/oracle/oracle-options.test.ts',
  'test/sources/postgres/connection-errors.test.ts',
  'test/sources/postgres/source.test.ts',
  'test/sources/redshift/redshift-source.test.ts',
];

export default defineConfig({
  test: {
    // Database and HTTP fixtures are real servers; give them room on a 2-core machine.
    testTimeout: 60_000,
    // Rebuilds a lib/ older than src/ (bin/argo-ingest.js, which emulated pods run, prefers lib/).
    globalSetup: ['test/support/global-setup.ts'],
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'e2e', include: E2E } },
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: E2E,
          // Unit files share a worker's module graph instead of importing src/, zod, the drivers and
          // the CRD validator again for every file: about 2.5x less CPU. They keep no global state
          // between files (nothing is mocked or stubbed; the CLI helper restores what it replaces).
          isolate: false,
        },
      },
    ],
  },
});
