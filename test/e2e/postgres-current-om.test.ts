/**
 * End to end, local mode, against a test server that announces OpenMetadata 1.13.4: bodies validated
 * against the 1.13 schemas, tables upserted in bulk (PUT /v1/tables/bulk), views with their SQL, and
 * injected faults (whole bulk requests and single bulk items) that lose nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEstate, type Estate } from '../../src/demo/estate.js';
import {
  expectNoSecrets,
  runIngestion,
  startE2eStack,
  workflowYaml,
  type E2eStack,
  postgresConnectionYaml,
  postgresEnv,
} from '../support/e2e.js';
import type { OmTestServer } from '../support/om-server.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';

const TOKEN = 'om-token-marker-current-4410';
const PG_PASSWORD = 'pg-password-marker-current-7731';

let stack: E2eStack<PostgresServer>;
let pg: PostgresServer;
let om: OmTestServer;
let estate: Estate;
let env: Record<string, string>;

async function writeConfig(service: string): Promise<string> {
  return stack.writeConfig(`source:
  type: postgres
  serviceName: ${service}
${postgresConnectionYaml()}
  sourceConfig:
    config:
      type: DatabaseMetadata
      schemaFilterPattern:
        excludes: ['^pg_', '^information_schema$', '^public$']
${workflowYaml({ parallelism: 4, chunkSize: 100, maxAttempts: 4 })}`);
}

/** Planned entities as FQNs of a service. */
function planned(service: string): string[] {
  return estate.schemas
    .flatMap((s) =>
      [...s.tables, ...s.views, ...s.materializedViews, ...s.partitioned, ...s.foreign].map(
        (name) => `${service}.${pg.database}.${s.name}.${name}`,
      ),
    )
    .sort();
}

function live(service: string): string[] {
  return [...om.entities('table').values()]
    .filter((t) => !t.deleted && t.fullyQualifiedName.startsWith(`${service}.`))
    .map((t) => t.fullyQualifiedName)
    .sort();
}

beforeAll(async () => {
  stack = await startE2eStack({
    dirPrefix: 'e2e-pg-current-',
    token: TOKEN,
    omVersion: '1.13.4',
    database: () => startPostgres({ password: PG_PASSWORD }),
  });
  ({ db: pg, om } = stack);
  // 2 schemas x (62 tables + 2 views + 1 materialized view + 1 partitioned table) = 132 entities.
  estate = await buildEstate((sql) => pg.query(sql), { schemas: 2, tablesPerSchema: 62 });
  env = {
    ...postgresEnv(pg, PG_PASSWORD),
    ...stack.omEnv,
  };
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

describe('argo-ingest run, LOCAL mode, PostgreSQL -> OpenMetadata 1.13.4', () => {
  it('delivers ~130 tables with at most 0.1 table requests per table, valid for 1.13, views with their SQL', async () => {
    expect(om.schemaSet).toBe('1.13');
    expect(estate.entityCount).toBeGreaterThanOrEqual(120);
    const before = om.counters.tablePuts;
    const result = await runIngestion(await writeConfig('pg_current'), env);
    expectNoSecrets(result, [TOKEN, PG_PASSWORD]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('body dialect openmetadata-1.13, tables in bulk (PUT /v1/tables/bulk)');
    expect(live('pg_current')).toEqual(planned('pg_current'));
    expect(om.invalidBodies).toEqual([]);
    const perTable = (om.counters.tablePuts - before) / estate.entityCount;
    expect(perTable).toBeLessThanOrEqual(0.1);
    for (const s of estate.schemas) {
      for (const name of [...s.views, ...s.materializedViews]) {
        const stored = om.entities('table').get(`pg_current.${pg.database}.${s.name}.${name}`);
        expect(stored?.schemaDefinition, name).toMatch(/SELECT/);
        expect(stored).not.toHaveProperty('viewDefinition');
      }
    }
    expect(result.stdout).toMatch(/Failed: +0\n/);
  });

  it('loses nothing at a 5% fault rate on bulk requests and on single bulk items', async () => {
    om.setFaults({ rate: 0.05, kinds: ['503', '429', 'reset'], retryAfterSeconds: 0, itemRate: 0.05 });
    const faultsBefore = om.counters.faultsInjected;
    const result = await runIngestion(await writeConfig('pg_current_faults'), env);
    om.setFaults(undefined);
    expect(result.code, result.stderr).toBe(0);
    expect(om.counters.faultsInjected - faultsBefore).toBeGreaterThan(0);
    expect(live('pg_current_faults')).toEqual(planned('pg_current_faults'));
    expect(result.stdout).toMatch(/Failed: +0\n/);
    expect(result.stdout).toMatch(new RegExp(`Succeeded: +${estate.entityCount} \\(100%\\)`));
  });
});
