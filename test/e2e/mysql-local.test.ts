/**
 * End to end, local mode: a real MariaDB (Debian's mariadbd, started here) with 330+ tables and views
 * over several databases, keys, comments, every common column type and hostile names, ingested by
 * `argo-ingest run` (the CLI's main(), in-process) into the OpenMetadata test server, which validates
 * every body against the OpenMetadata 1.0.4 schemas. Then mark-deleted: drop 3 tables, run again,
 * exactly those 3 are soft-deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliResult } from '../support/cli.js';
import {
  errorLines,
  expectNoSecrets,
  runIngestion,
  startE2eStack,
  workflowYaml,
  yamlList,
  type E2eStack,
} from '../support/e2e.js';
import { startMariaDb, type MariaDbServer } from '../support/mariadb-server.js';
import type { OmTestServer, StoredEntity } from '../support/om-server.js';
import { buildMysqlEstate, q } from '../sources/mysql/estate.js';

const TOKEN = 'om-token-marker-mysql-2b7c';
const MYSQL_PASSWORD = 'mysql-password-marker-e41f';
const SYSTEM = ['information_schema', 'mysql', 'performance_schema', 'sys'];

let stack: E2eStack<MariaDbServer>;
let db: MariaDbServer;
let om: OmTestServer;
let env: Record<string, string>;

interface ConfigOptions {
  readonly service?: string;
  readonly schemaIncludes?: readonly string[];
  readonly tableExcludes?: readonly string[];
}

async function writeConfig(o: ConfigOptions = {}): Promise<string> {
  return stack.writeConfig(`source:
  type: mysql
  serviceName: ${o.service ?? 'mysql_e2e'}
  serviceConnection:
    config:
      type: Mysql
      hostPort: \${MYSQL_HOST_PORT}
      username: \${MYSQL_USER}
      authType:
        password: \${MYSQL_PASSWORD}
  sourceConfig:
    config:
      type: DatabaseMetadata
      markDeletedTables: true
      schemaFilterPattern:
        includes: [${yamlList(o.schemaIncludes)}]
      tableFilterPattern:
        excludes: [${yamlList(o.tableExcludes)}]
${workflowYaml({ parallelism: 6, chunkSize: 40, maxAttempts: 3 })}`);
}

const run = (file: string, overrides: Record<string, string> = {}): Promise<CliResult> =>
  runIngestion(file, { ...env, ...overrides });

/** What MariaDB holds (schema, table) outside the server schemas, sequences excluded: the truth. */
async function sourceTables(): Promise<string[]> {
  const rows = await db.query<{ s: string; t: string }>(
    "SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA NOT IN (?) AND TABLE_TYPE IN ('BASE TABLE', 'VIEW')",
    [SYSTEM],
  );
  return rows.map((r) => `${r.s}/${r.t}`).sort();
}

/** Live (or deleted) tables of a service in the OpenMetadata test server, as `schema/table`. */
function omTables(service: string, deleted = false): string[] {
  return [...om.entities('table').values()]
    .filter((t: StoredEntity) => Boolean(t.deleted) === deleted && t.fullyQualifiedName.startsWith(`${service}.`))
    .map((t) => {
      const schema = (t.databaseSchema as { name?: string } | undefined)?.name ?? '?';
      return `${schema}/${String(t.name)}`;
    })
    .sort();
}

beforeAll(async () => {
  stack = await startE2eStack({
    dirPrefix: 'e2e-mysql-',
    token: TOKEN,
    database: () => startMariaDb({ password: MYSQL_PASSWORD }),
  });
  ({ db, om } = stack);
  await buildMysqlEstate(db);
  // The estate's broken view is a deliberate per-entity failure for the source tests; an end-to-end
  // run with a failure never marks anything deleted, so it goes here.
  await db.query('DROP VIEW shop.broken_view');
  env = {
    MYSQL_HOST_PORT: db.hostPort,
    MYSQL_USER: db.user,
    MYSQL_PASSWORD,
    ...stack.omEnv,
  };
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

describe('argo-ingest run, LOCAL mode, MySQL (MariaDB) -> OpenMetadata', () => {
  it('ingests every table and view of every user database, with bodies OpenMetadata accepts', async () => {
    const expected = await sourceTables();
    expect(expected.length).toBeGreaterThan(330);
    const result = await run(await writeConfig());
    expectNoSecrets(result, [TOKEN, MYSQL_PASSWORD]);
    expect(result.stderr).toContain('Executing workflow in LOCAL mode');
    expect(result.code, result.stderr).toBe(0);
    expect(om.invalidBodies).toEqual([]);
    expect(omTables('mysql_e2e')).toEqual(expected);
    expect(result.stdout).toMatch(new RegExp(`Entities found: +${expected.length}\\n`));
    expect(result.stdout).toMatch(/Failed: +0\n/);
    const schemas = [...om.entities('databaseSchema').values()]
      .filter((s) => s.fullyQualifiedName.startsWith('mysql_e2e.default.'))
      .map((s) => String(s.name))
      .sort();
    expect(schemas).toEqual(['analytics', 'bulk', 'shop', 'staging_area', 'types', "we'ird`schema"]);
    const service = om.entities('databaseService').get('mysql_e2e');
    expect(JSON.stringify(service)).not.toContain(MYSQL_PASSWORD);
  });

  it('stores the columns, keys and comments MariaDB declares', async () => {
    const columns = await db.query<{ s: string; t: string; c: string; nullable: string; comment: string }>(
      'SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, COLUMN_NAME AS c, IS_NULLABLE AS nullable, COLUMN_COMMENT AS comment FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN (?) ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION',
      [['shop', 'analytics', 'types']],
    );
    // Sequences have columns too, but are not tables.
    const tables = new Set((await sourceTables()).map((t) => t.replace('/', '.')));
    const byTable = new Map<string, typeof columns>();
    for (const c of columns.filter((c) => tables.has(`${c.s}.${c.t}`)))
      byTable.set(`${c.s}.${c.t}`, [...(byTable.get(`${c.s}.${c.t}`) ?? []), c]);
    expect(byTable.size).toBeGreaterThan(6);
    for (const [name, cols] of byTable) {
      const stored = om.entities('table').get(`mysql_e2e.default.${name}`);
      expect(stored, name).toBeDefined();
      const omColumns = stored!.columns as { name: string; constraint?: string; description?: string }[];
      expect(
        omColumns.map((c) => c.name),
        name,
      ).toEqual(cols.map((c) => c.c));
      omColumns.forEach((c, i) => {
        if (c.constraint === 'NULL') expect(cols[i]!.nullable, `${name}.${c.name}`).toBe('YES');
        if (cols[i]!.comment) expect(c.description, `${name}.${c.name}`).toBe(cols[i]!.comment);
      });
    }
    const lines = om.entities('table').get('mysql_e2e.default.shop.order_lines')!;
    expect(lines.description).toBe('One row per ordered item');
    expect(lines.tableConstraints).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ constraintType: 'PRIMARY_KEY', columns: ['order_id', 'line_no'] }),
        expect.objectContaining({
          constraintType: 'FOREIGN_KEY',
          columns: ['order_id'],
          referredColumns: ['mysql_e2e.default.shop.orders.id'],
        }),
      ]),
    );
    const types = om.entities('table').get('mysql_e2e.default.types.all_types')!;
    const dataTypes = new Set((types.columns as { dataType: string }[]).map((c) => c.dataType));
    for (const t of ['TINYINT', 'DECIMAL', 'ENUM', 'SET', 'JSON', 'YEAR', 'GEOMETRY', 'POINT', 'LONGBLOB', 'UUID']) {
      expect(dataTypes).toContain(t);
    }
  });

  it('includes and excludes exactly as the filter patterns say', async () => {
    const result = await run(
      await writeConfig({ service: 'mysql_filtered', schemaIncludes: ['SHOP', 'analytics'], tableExcludes: ['ORDER'] }),
    );
    expect(result.code, result.stderr).toBe(0);
    const expected = (await sourceTables()).filter(
      (t) => (t.startsWith('shop/') || t.startsWith('analytics/')) && !/\/order/i.test(t),
    );
    expect(expected.length).toBeGreaterThan(3);
    expect(omTables('mysql_filtered')).toEqual(expected);
  });
});

describe('mark deleted', () => {
  const service = 'mysql_deleted';
  const dropped = ['bulk/t0003', 'bulk/t0150', 'staging_area/raw_dump'];

  beforeAll(async () => {
    const first = await run(await writeConfig({ service }));
    expect(first.code, first.stderr).toBe(0);
    for (const name of dropped) {
      const [schema, table] = name.split('/') as [string, string];
      await db.query(`DROP TABLE ${q(schema)}.${q(table)}`);
    }
  }, 120_000);

  it('soft-deletes exactly the 3 dropped tables on the next run', async () => {
    const before = omTables(service).length;
    const result = await run(await writeConfig({ service }));
    expectNoSecrets(result, [TOKEN, MYSQL_PASSWORD]);
    expect(result.code, result.stderr).toBe(0);
    expect(omTables(service, true)).toEqual(dropped);
    expect(omTables(service)).toHaveLength(before - 3);
    expect(omTables(service)).toEqual(await sourceTables());
    expect(result.stdout).toMatch(/Marked deleted: +3 soft-deleted/);
  });
});

describe('failures the user must see in one sentence', () => {
  it('a wrong database password', async () => {
    const result = await run(await writeConfig(), { MYSQL_PASSWORD: 'wrong-password-marker-93' });
    expect(result.code).not.toBe(0);
    expect(errorLines(result)).toHaveLength(1);
    expect(errorLines(result)[0]).toMatch(/rejected the login of user/);
    expect(result.stderr).not.toContain('wrong-password-marker-93');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unreachable database host', async () => {
    const result = await run(await writeConfig(), { MYSQL_HOST_PORT: '127.0.0.1:1' });
    expect(result.code).not.toBe(0);
    expect(errorLines(result)).toHaveLength(1);
    expect(errorLines(result)[0]).toMatch(/Cannot reach MySQL at 127\.0\.0\.1:1/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
