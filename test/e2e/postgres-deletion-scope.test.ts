/**
 * End to end, the deletion scope: a real PostgreSQL with two databases ingested with
 * `ingestAllDatabases: true` into the OpenMetadata test server, then made partly invisible (CONNECT
 * revoked, a pg_hba `reject` line) or filtered more narrowly. Mark-deleted must never delete what the
 * run did not see, and a run that could not list a database OpenMetadata holds tables of must fail.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliResult } from '../support/cli.js';
import {
  expectNoSecrets,
  runIngestion,
  startE2eStack,
  workflowYaml,
  yamlList,
  type E2eStack,
  postgresConnectionYaml,
  postgresEnv,
} from '../support/e2e.js';
import type { OmTestServer } from '../support/om-server.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';

const TOKEN = 'om-token-marker-scope-7f1';
const PG_PASSWORD = 'pg-password-marker-scope-2c9';
const OTHER = 'other_db';
const SERVICE = 'pg_scope';

let stack: E2eStack<PostgresServer>;
let pg: PostgresServer;
let om: OmTestServer;
let env: Record<string, string>;

interface ScopeConfig {
  readonly schemaIncludes?: readonly string[];
  readonly tableExcludes?: readonly string[];
  readonly maxDeletedFraction?: number;
  readonly allowIncompleteListing?: boolean;
}

async function writeConfig(o: ScopeConfig = {}): Promise<string> {
  const workflow = workflowYaml({
    parallelism: 2,
    chunkSize: 10,
    maxAttempts: 2,
    maxDeletedFraction: o.maxDeletedFraction ?? 0.75,
  });
  return stack.writeConfig(`source:
  type: postgres
  serviceName: ${SERVICE}
${postgresConnectionYaml({ ingestAllDatabases: true })}
  sourceConfig:
    config:
      type: DatabaseMetadata
      markDeletedTables: true
      schemaFilterPattern:
        includes: [${yamlList(o.schemaIncludes)}]
        excludes: ['^public$']
      tableFilterPattern:
        excludes: [${yamlList(o.tableExcludes)}]
${
  o.allowIncompleteListing
    ? workflow.replace('    maxDeletedFraction:', '    allowIncompleteListing: true\n    maxDeletedFraction:')
    : workflow
}`);
}

const run = async (o: ScopeConfig = {}): Promise<CliResult> => {
  const result = await runIngestion(await writeConfig(o), env);
  expectNoSecrets(result, [TOKEN, PG_PASSWORD]);
  return result;
};

/** `db.schema.table` of the service's tables in the OM server, live or soft-deleted. */
function tables(deleted: boolean): string[] {
  return [...om.entities('table').values()]
    .filter((t) => t.deleted === deleted && t.fullyQualifiedName.startsWith(`${SERVICE}.`))
    .map((t) => t.fullyQualifiedName.slice(SERVICE.length + 1))
    .sort();
}

/** Two schemas of tables in each database: sales (3 tables), hr (2 tables). */
const LAYOUT = { sales: ['orders', 'customers', 'invoices'], hr: ['staff', 'payroll'] } as const;

function expected(database: string): string[] {
  return Object.entries(LAYOUT).flatMap(([schema, names]) => names.map((n) => `${database}.${schema}.${n}`));
}

async function createLayout(runSql: (sql: string) => Promise<unknown>): Promise<void> {
  for (const [schema, names] of Object.entries(LAYOUT)) {
    await runSql(`create schema ${schema}`);
    for (const name of names) await runSql(`create table ${schema}.${name} (id int primary key)`);
  }
}

const hbaFile = () => join(pg.socketDir, 'data', 'pg_hba.conf');

beforeAll(async () => {
  stack = await startE2eStack({
    dirPrefix: 'e2e-pg-scope-',
    token: TOKEN,
    database: () => startPostgres({ password: PG_PASSWORD }),
  });
  ({ db: pg, om } = stack);
  await createLayout((sql) => pg.query(sql));
  // The second database belongs to the superuser; the test user may connect through PUBLIC's CONNECT.
  await pg.admin(`create database ${OTHER}`);
  await createLayout((sql) => pg.admin(sql, [], OTHER));
  env = {
    ...postgresEnv(pg, PG_PASSWORD),
    ...stack.omEnv,
  };
  const first = await run();
  expect(first.code, first.stderr).toBe(0);
  expect(tables(false)).toEqual([...expected(pg.database), ...expected(OTHER)].sort());
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

describe('a database the run cannot see', () => {
  it('CONNECT revoked: nothing of it is deleted, the run names it and exits non-zero', async () => {
    await pg.admin(`revoke connect on database ${OTHER} from public`);
    try {
      const result = await run();
      expect(tables(true)).toEqual([]);
      expect(result.code).not.toBe(0);
      expect(result.stdout).toContain(
        `not listed: ${SERVICE}.${OTHER} (user "${pg.user}" has no CONNECT privilege on it)`,
      );
      expect(result.stderr).toMatch(new RegExp(`error: could not list "${SERVICE}\\.${OTHER}"`));
      expect(result.stdout).toMatch(/Result: +FAILED: the listing was incomplete/);
    } finally {
      await pg.admin(`grant connect on database ${OTHER} to public`);
    }
  });

  it('refused by pg_hba: nothing of it is deleted, the run names it and exits non-zero', async () => {
    const original = await readFile(hbaFile(), 'utf8');
    await writeFile(hbaFile(), `host ${OTHER} all 127.0.0.1/32 reject\n${original}`);
    await pg.admin('select pg_reload_conf()');
    try {
      const result = await run();
      expect(tables(true)).toEqual([]);
      expect(result.code).not.toBe(0);
      expect(result.stdout).toContain(`not listed: ${SERVICE}.${OTHER} (`);
      expect(result.stderr).toMatch(new RegExp(`error: could not list "${SERVICE}\\.${OTHER}"`));
    } finally {
      await writeFile(hbaFile(), original);
      await pg.admin('select pg_reload_conf()');
    }
  });

  it('allowIncompleteListing accepts the partial run, and still deletes nothing of it', async () => {
    await pg.admin(`revoke connect on database ${OTHER} from public`);
    try {
      const result = await run({ allowIncompleteListing: true, maxDeletedFraction: 1 });
      expect(result.code, result.stderr).toBe(0);
      expect(tables(true)).toEqual([]);
      expect(result.stdout).toContain(`not listed: ${SERVICE}.${OTHER}`);
    } finally {
      await pg.admin(`grant connect on database ${OTHER} to public`);
    }
  });
});

describe('the filters bound what may be deleted', () => {
  it('a narrower schema filter deletes nothing outside it', async () => {
    const result = await run({ schemaIncludes: ['^sales$'], maxDeletedFraction: 1 });
    expect(result.code, result.stderr).toBe(0);
    expect(tables(true)).toEqual([]);
    expect(result.stdout).toMatch(/Marked deleted: +nothing to delete/);
  });

  it('a schema filter that matches nothing deletes nothing', async () => {
    const result = await run({ schemaIncludes: ['^no_such_schema$'], maxDeletedFraction: 1 });
    expect(tables(true)).toEqual([]);
    expect(result.stdout).toMatch(/Entities found: +0\n/);
  });

  it('a table the table filter excludes is not deleted', async () => {
    const result = await run({ tableExcludes: ['^payroll$'], maxDeletedFraction: 1 });
    expect(result.code, result.stderr).toBe(0);
    expect(tables(true)).toEqual([]);
  });

  it('dropping one table in scope soft-deletes exactly that table', async () => {
    await pg.query('drop table sales.invoices');
    const result = await run({ schemaIncludes: ['^sales$'] });
    expect(result.code, result.stderr).toBe(0);
    expect(tables(true)).toEqual([`${pg.database}.sales.invoices`]);
    expect(result.stdout).toMatch(/Marked deleted: +1 soft-deleted/);
  });
});

describe('names OpenMetadata cannot take', () => {
  it('are reported once with the rule, escaped, and do not stop mark-deleted for the rest', async () => {
    await pg.query('create table sales."odd::name" (id int)');
    await pg.query('create table sales."two\nlines" (id int)');
    await pg.query('create schema "odd::schema"; create table "odd::schema".t (id int)');
    await pg.query('drop table hr.staff');
    try {
      const result = await run();
      expect(result.code, result.stderr).toBe(0);
      const db = pg.database;
      expect(result.stdout).toMatch(/Not ingested: +3 \(names OpenMetadata cannot take/);
      expect(result.stdout).toContain(`- ${SERVICE}.${db}.odd::schema.t: OpenMetadata names may not contain "::"`);
      expect(result.stderr).toContain(`Not creating databaseSchema ${SERVICE}.${db}.odd::schema: `);
      expect([...om.entities('databaseSchema').keys()].some((fqn) => fqn.includes('odd::schema'))).toBe(false);
      expect(result.stdout).toContain(
        `- ${SERVICE}.${db}.sales.odd::name: OpenMetadata names may not contain "::" (entityName pattern ^((?!::).)*$)`,
      );
      expect(result.stdout).toContain(
        `- ${SERVICE}.${db}.sales.two\\nlines: OpenMetadata names may not contain a line break`,
      );
      expect(result.stderr).toContain(`Not ingesting table ${SERVICE}.${db}.sales.two\\nlines: `);
      // Reported once (by discover), not again by a shard.
      expect(result.stderr.split(`Not ingesting table ${SERVICE}.${db}.sales.odd::name`)).toHaveLength(2);
      // No forged line: the name's second half never starts a line of its own.
      for (const text of [result.stdout, result.stderr]) {
        expect(text.split('\n').some((line) => line.startsWith('lines'))).toBe(false);
      }
      expect(result.stdout).toMatch(/Failed: +0\n/);
      expect(tables(true)).toEqual([`${db}.hr.staff`, `${db}.sales.invoices`]);
      expect(result.stdout).toMatch(/Marked deleted: +1 soft-deleted/);
    } finally {
      await pg.query('drop table sales."odd::name", sales."two\nlines"; drop schema "odd::schema" cascade');
    }
  });
});
