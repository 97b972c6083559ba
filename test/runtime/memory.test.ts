import { describe, expect, it } from 'vitest';
import { distributedExecutionSchema } from '../../src/config/distributed.js';
import { BATCH_COLUMN_BUDGET, memoryWarnings, quantityBytes } from '../../src/runtime/memory.js';
import { batches } from '../../src/runtime/process.js';
import type { EntityDescriptor } from '../../src/sources/contract.js';

const wide = (n: number, columns: number | undefined, schema = 's'): EntityDescriptor[] =>
  Array.from({ length: n }, (_, i) => ({
    fqn: `svc.db.${schema}.t${i}`,
    type: 'table' as const,
    ...(columns === undefined ? {} : { meta: { columns } }),
  }));

describe('batches bounded by columns as well as by count', () => {
  it('cuts 1,000 tables of 1,600 columns at the column budget, not at chunkSize', () => {
    const sizes = [...batches(wide(1000, 1600), 1000, BATCH_COLUMN_BUDGET)].map((b) => b.length);
    expect(Math.max(...sizes)).toBe(Math.floor(BATCH_COLUMN_BUDGET / 1600));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('keeps narrow tables at chunkSize, and a table wider than the budget alone', () => {
    expect([...batches(wide(250, 10), 100, BATCH_COLUMN_BUDGET)].map((b) => b.length)).toEqual([100, 100, 50]);
    expect([...batches(wide(3, BATCH_COLUMN_BUDGET + 1), 100, BATCH_COLUMN_BUDGET)].map((b) => b.length)).toEqual([
      1, 1, 1,
    ]);
    // Entities without a column count weigh 1: chunkSize decides.
    expect([...batches(wide(30, undefined), 10, 5)].map((b) => b.length)).toEqual([5, 5, 5, 5, 5, 5]);
  });
});

describe('memory warnings for validate / plan', () => {
  it('warns when the pod memory limit cannot hold a batch at the column budget, naming the field', () => {
    const small = distributedExecutionSchema.parse({
      resourceRequests: { cpu: '500m', memory: '128Mi' },
      resourceLimits: { cpu: '1', memory: '256Mi' },
    });
    const [warning] = memoryWarnings(small);
    expect(warning).toMatch(
      /^distributedExecution\.resourceLimits\.memory \(256Mi\) is under the \d+Mi a worker can need/,
    );
    expect(memoryWarnings(distributedExecutionSchema.parse({}))).toEqual([]);
  });

  it('reads Kubernetes quantities', () => {
    expect(quantityBytes('2Gi')).toBe(2 * 2 ** 30);
    expect(quantityBytes('512M')).toBe(512e6);
    expect(quantityBytes('1e9')).toBe(1e9);
    expect(quantityBytes('lots')).toBeUndefined();
  });
});
