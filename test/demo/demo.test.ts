import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_SERVICE, runDemo } from '../../src/demo/run-demo.js';
import { planEstate } from '../../src/demo/estate.js';
import { silentLogger } from '../../src/util/logger.js';
import type { ProgressReporter } from '../../src/runtime/progress.js';
import type { EntityKind } from '../../src/sources/contract.js';
import { runCli } from '../support/cli.js';
import { validateCreate } from '../support/om-schemas.js';

const dir = mkdtempSync(join(tmpdir(), 'argo-ingest-demo-'));
const quietProgress: ProgressReporter = { start() {}, tick() {}, finish() {} };

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Line {
  readonly kind: EntityKind;
  readonly fqn: string;
  readonly body: Record<string, unknown> & { columns?: Record<string, unknown>[] };
}

function readLines(file: string): Line[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
}

describe('argo-ingest demo', () => {
  it('ingests every table and view of the embedded estate into the JSON-lines file', { timeout: 240_000 }, async () => {
    const output = join(dir, 'demo.jsonl');
    let summary = '';
    const { report, estate } = await runDemo({
      output,
      schemas: 2,
      tablesPerSchema: 6,
      parallelism: 3,
      logger: silentLogger,
      write: (t) => (summary += t),
      progress: quietProgress,
    });
    const expected = planEstate({ schemas: 2, tablesPerSchema: 6, foreignTables: true });
    expect(estate.entityCount).toBe(expected.entityCount);
    expect(report.totals).toMatchObject({
      discovered: expected.entityCount,
      succeeded: expected.entityCount,
      failed: 0,
    });
    expect(summary).toContain('Ingestion summary (LOCAL mode)');
    expect(summary).toContain(`Entities found:  ${expected.entityCount}`);

    const lines = readLines(output);
    // The file sink writes the newest dialect (views' SQL as schemaDefinition): valid for OpenMetadata 1.13.
    for (const line of lines) expect(validateCreate(line.kind, line.body, '1.13'), line.fqn).toEqual([]);
    const tables = lines.filter((l) => l.kind === 'table');
    const wanted = expected.schemas.flatMap((s) =>
      [...s.tables, ...s.views, ...s.materializedViews, ...s.partitioned, ...s.foreign].map(
        (t) => `${DEMO_SERVICE}.postgres.${s.name}.${t}`,
      ),
    );
    expect(tables.map((t) => t.fqn).sort()).toEqual([...wanted].sort());
    expect(lines.filter((l) => l.kind === 'databaseSchema').map((l) => l.fqn)).toEqual(
      expect.arrayContaining([`${DEMO_SERVICE}.postgres.sales`, `${DEMO_SERVICE}.postgres.finance`]),
    );
    // Parents come before the tables that need them.
    expect(lines.findIndex((l) => l.kind === 'table')).toBeGreaterThan(
      lines.findIndex((l) => l.kind === 'databaseSchema'),
    );

    const byFqn = new Map(tables.map((t) => [t.fqn, t.body]));
    const orders = byFqn.get(`${DEMO_SERVICE}.postgres.sales.orders_0001`)!;
    expect(orders).toMatchObject({ tableType: 'Regular', description: 'Sample table orders_0001' });
    expect(orders.columns!.find((c) => c.name === 'numeric_col')).toMatchObject({
      dataType: 'NUMERIC',
      precision: 12,
      scale: 2,
    });
    expect(orders.columns!.find((c) => c.name === 'id')).toMatchObject({
      constraint: 'PRIMARY_KEY',
      description: 'Surrogate key',
    });
    const customers = byFqn.get(`${DEMO_SERVICE}.postgres.sales.customers_0002`)!;
    expect(customers.tableConstraints).toEqual([
      {
        constraintType: 'FOREIGN_KEY',
        columns: ['parent_id'],
        referredColumns: [`${DEMO_SERVICE}.postgres.sales.orders_0001.id`],
      },
    ]);
    expect(byFqn.get(`${DEMO_SERVICE}.postgres.sales.events_by_month`)).toMatchObject({ tableType: 'Partitioned' });
    expect(byFqn.get(`${DEMO_SERVICE}.postgres.sales.ext_exchange_rates`)).toMatchObject({ tableType: 'Foreign' });
    expect(byFqn.get(`${DEMO_SERVICE}.postgres.sales.v_orders_0001`)).toMatchObject({ tableType: 'View' });
    expect([...byFqn.keys()].some((f) => f.includes('events_by_month_2024'))).toBe(false);
  });

  it('refuses a bad number with a usage error and writes nothing', async () => {
    const output = join(dir, 'never.jsonl');
    const result = await runCli(['demo', '--tables', '0', '--output', output]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--tables must be a whole number of at least 1, not "0"');
    expect(() => readFileSync(output)).toThrow();
  });
});
