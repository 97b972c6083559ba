/** `argo-ingest plan` against a real PostgreSQL holding the sample estate. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEstate, type Estate } from '../../src/demo/estate.js';
import { runCli } from '../support/cli.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { tempDir, type TempDir } from './fixtures.js';

const CONFIG = `source:
  type: postgres
  serviceName: estate_pg
  serviceConnection:
    config:
      type: Postgres
      hostPort: \${PG_HOST_PORT}
      username: \${PG_USER}
      authType:
        password: \${PG_PASSWORD}
      database: argo_test
  sourceConfig:
    config:
      type: DatabaseMetadata
      includeViews: true
sink:
  type: metadata-rest
  config: {}
workflowConfig:
  openMetadataServerConfig:
    hostPort: \${OPENMETADATA_HOST_PORT}
    authProvider: openmetadata
    securityConfig:
      jwtToken: \${OM_JWT_TOKEN}
  distributedExecution:
    enabled: true
    orchestrator: argo
    parallelism: 4
    chunkSize: 10
    namespace: openmetadata
`;

const PASSWORD = 'pg-password-MARKER-93ac1e';

describe('argo-ingest plan on a PostgreSQL estate', () => {
  let pg: PostgresServer;
  let dir: TempDir;
  let file: string;
  let estate: Estate;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    pg = await startPostgres({ password: PASSWORD });
    estate = await buildEstate((sql) => pg.query(sql), { schemas: 3, tablesPerSchema: 15 });
    dir = tempDir();
    file = dir.write('estate.yaml', CONFIG);
    // The OpenMetadata variables are deliberately unset: plan talks to the source only.
    env = {
      PG_HOST_PORT: pg.hostPort,
      PG_USER: pg.user,
      PG_PASSWORD: PASSWORD,
      OPENMETADATA_HOST_PORT: undefined,
      OM_JWT_TOKEN: undefined,
    };
  });
  afterAll(async () => {
    await pg?.close();
    dir?.remove();
  });

  /** Relations a metadata ingestion sees: tables, views, materialized views, partitioned and foreign tables. */
  async function relationsInDatabase(): Promise<number> {
    const { rows } = await pg.query<{ n: string }>(
      `select count(*) as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r','v','m','p','f') and not c.relispartition
         and n.nspname <> 'information_schema' and n.nspname !~ '^pg_'`,
    );
    return Number(rows[0]!.n);
  }

  it('counts what the database holds and follows the formula (--output json)', async () => {
    const result = await runCli(
      ['plan', '-c', file, '--seconds-per-entity', '0.5', '--pod-cost-per-hour', '0.12', '--output', 'json'],
      env,
    );
    expect(result.stderr).not.toContain('error:');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      entities: number;
      byType: Record<string, number>;
      shards: number;
      distributed: { pods: number; seconds: number; cost: number };
      sequential: { pods: number; seconds: number; cost: number };
    };
    const count = await relationsInDatabase();
    expect(count).toBe(estate.entityCount);
    expect(report.entities).toBe(count);
    expect(report.byType).toEqual({ table: count });
    // K = min(max(parallelism 4, ceil(entities / 5)), parallelism 4 x shardFactor 2) = 8; pods = min(4, 8).
    expect(report.shards).toBe(Math.min(Math.max(4, Math.ceil(count / 5)), 8));
    expect(report.distributed.pods).toBe(4);
    expect(report.distributed.seconds).toBeCloseTo((count / 4) * 0.5, 9);
    expect(report.distributed.cost).toBeCloseTo(4 * (((count / 4) * 0.5) / 3600) * 0.12, 9);
    expect(report.sequential.seconds).toBeCloseTo(count * 0.5, 9);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });

  it('measures the time per entity on a sample and prints the plan', async () => {
    const result = await runCli(['plan', '-c', file, '--sample', '12'], env);
    expect(result.code).toBe(0);
    const count = estate.entityCount;
    expect(result.stdout).toContain(`Entities:         ${count} (table ${count})`);
    expect(result.stdout).toMatch(/Time per entity: +\S+ \(measured on 12 entities in [\d.]+s\b/);
    expect(result.stdout).toContain('Speed-up: 4.0x');
  });

  it('refuses a bad flag, naming it', async () => {
    const result = await runCli(['plan', '-c', file, '--pod-cost-per-hour', 'cheap'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: --pod-cost-per-hour must be a number of 0 or more, not "cheap"');
  });
});
