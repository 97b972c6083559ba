import { describe, expect, it } from 'vitest';
import { largestFirst } from '../../src/runtime/local.js';
import { runPool } from '../../src/runtime/pool.js';

describe('runPool', () => {
  it('starts tasks in index order by default and in the given order otherwise, results by index', async () => {
    for (const order of [undefined, [2, 0, 3, 1]]) {
      const started: number[] = [];
      const results = await runPool(
        4,
        1,
        (i) => {
          started.push(i);
          return i === 3 ? Promise.reject(new Error('three')) : Promise.resolve(i * 10);
        },
        order,
      );
      expect(started).toEqual(order ?? [0, 1, 2, 3]);
      expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'rejected'))).toEqual([0, 10, 20, 'rejected']);
    }
  });

  it('refuses an order that is not a permutation of the indices', async () => {
    await expect(runPool(3, 2, () => Promise.resolve(0), [0, 0, 1])).rejects.toThrow(RangeError);
    await expect(runPool(3, 2, () => Promise.resolve(0), [0, 1])).rejects.toThrow(RangeError);
  });
});

describe('largestFirst', () => {
  it('orders shards by size, largest first, ties in shard order; undefined without sizes', () => {
    expect(largestFirst([3, 9, 3, 0, 9])).toEqual([1, 4, 0, 2, 3]);
    expect(largestFirst(undefined)).toBeUndefined();
  });
});
