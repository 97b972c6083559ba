/**
 * Bounded memory per batch. A batch's metadata (catalogue rows, then the Create* bodies) lives in memory
 * until the batch is upserted, and grows with its columns, not its table count: 1,000 tables of 1,600
 * columns is 1.6 million columns. So a batch is cut at `chunkSize` entities or at BATCH_COLUMN_BUDGET
 * columns, whichever comes first. Sources that know an entity's column count put it in the descriptor's
 * `meta.columns` (PostgreSQL: `pg_class.relnatts`, read by discover at no extra cost); other entities
 * weigh 1.
 *
 * The byte figures come from bench/wide-tables.bench.ts (bench/RESULTS.md, "Wide tables"): one shard of
 * 1,000 x 1,600-column tables peaked at 188 MB RSS with batches of 20,000 columns and 422 MB with 80,000
 * (3.9 KB per column of a batch, about 110 MB before any); without a column budget (one batch of 1.6
 * million columns) it ran out of a 1,536 MB heap. In LOCAL mode up to `parallelism` batches are in
 * flight at once.
 */
import type { DistributedExecution } from '../config/distributed.js';
import type { EntityDescriptor } from '../sources/contract.js';

/** Most columns in one batch. */
export const BATCH_COLUMN_BUDGET = 20_000;

/** Memory per column of a batch in flight (catalogue row, table body, its JSON): 3.9 KB measured, rounded up. */
export const BYTES_PER_COLUMN = 4_000;

/** A worker's memory before any batch (Node, drivers, the shard's descriptor list): ~110 MB measured, with room. */
export const BASE_WORKER_BYTES = 256 * 1024 * 1024;

/** An entity's weight against the column budget: its column count when the source knows it, else 1. */
export function entityWeight(descriptor: EntityDescriptor): number {
  const columns = descriptor.meta?.['columns'];
  return typeof columns === 'number' && Number.isFinite(columns) && columns > 0 ? columns : 1;
}

/** Peak memory a process pod needs: the base plus one batch at the column budget. */
export function estimatedWorkerBytes(columnBudget = BATCH_COLUMN_BUDGET): number {
  return BASE_WORKER_BYTES + columnBudget * BYTES_PER_COLUMN;
}

/** Kubernetes quantity (`2Gi`, `512M`, `1.5Gi`, `1e9`) in bytes, or undefined when it is not one. */
export function quantityBytes(quantity: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?(?:e\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity.trim());
  if (!match) return undefined;
  const units: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
  };
  return Number(match[1]) * (match[2] ? units[match[2]]! : 1);
}

/** Warnings for `validate` / `plan`: settings a process pod's memory limit cannot hold. */
export function memoryWarnings(dist: DistributedExecution): string[] {
  const limit = dist.resourceLimits.memory;
  const bytes = limit === undefined ? undefined : quantityBytes(String(limit));
  if (bytes === undefined) return [];
  const needed = estimatedWorkerBytes();
  if (bytes >= needed) return [];
  const mib = (n: number) => `${Math.ceil(n / 2 ** 20)}Mi`;
  return [
    `distributedExecution.resourceLimits.memory (${String(limit)}) is under the ${mib(needed)} a worker can need ` +
      `(${mib(BASE_WORKER_BYTES)} base + a batch of up to ${BATCH_COLUMN_BUDGET} columns at ~${BYTES_PER_COLUMN} bytes each, ` +
      'whatever chunkSize is); wide tables may run the pod out of memory: raise the limit',
  ];
}
