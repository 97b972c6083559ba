import { describe, expect, it } from 'vitest';
import { ReadCoalescer } from '../../../src/sources/sql-common/read-coalescer.js';

interface Entity {
  readonly id: string;
  readonly columns: number;
}

/** A coalescer whose reads are recorded; each outcome is `<id>@<read number>`. */
function recorder(options: { maxEntities?: number; maxWeight?: number; fail?: (ids: string[]) => boolean } = {}) {
  const reads: { key: string; ids: string[] }[] = [];
  const coalescer = new ReadCoalescer<Entity, { id: string; value: string }>({
    read: async (key, entities) => {
      const ids = entities.map((e) => e.id);
      reads.push({ key, ids });
      const n = reads.length;
      await Promise.resolve();
      if (options.fail?.(ids)) throw new Error(`read ${n} failed`);
      return ids.map((id) => ({ id, value: `${id}@${n}` }));
    },
    idOf: (e) => e.id,
    outcomeIdOf: (o) => o.id,
    weightOf: (e) => e.columns,
    maxEntities: options.maxEntities ?? 100,
    maxWeight: options.maxWeight,
  });
  return { coalescer, reads };
}

const entities = (...ids: string[]): Entity[] => ids.map((id) => ({ id, columns: 10 }));
const values = (m: Map<string, { value: string }>, ...ids: string[]) => ids.map((id) => m.get(id)?.value);

describe('ReadCoalescer', () => {
  it('reads batches of one key asked for in the same turn with one read, each caller getting its own', async () => {
    const { coalescer, reads } = recorder();
    const [a, b, c] = await Promise.all([
      coalescer.read('sales', entities('a1', 'a2')),
      coalescer.read('sales', entities('b1')),
      coalescer.read('sales', entities('c1', 'c2', 'c3')),
    ]);
    expect(reads).toEqual([{ key: 'sales', ids: ['a1', 'a2', 'b1', 'c1', 'c2', 'c3'] }]);
    expect(values(a, 'a1', 'a2')).toEqual(['a1@1', 'a2@1']);
    expect(values(b, 'b1')).toEqual(['b1@1']);
    expect(values(c, 'c1', 'c3')).toEqual(['c1@1', 'c3@1']);
  });

  it('keeps keys apart and reads a lone batch as it is', async () => {
    const { coalescer, reads } = recorder();
    await Promise.all([coalescer.read('sales', entities('s1')), coalescer.read('hr', entities('h1'))]);
    await coalescer.read('sales', entities('s2'));
    expect(reads).toEqual([
      { key: 'sales', ids: ['s1'] },
      { key: 'hr', ids: ['h1'] },
      { key: 'sales', ids: ['s2'] },
    ]);
  });

  it('starts another read once a group holds maxEntities entities or maxWeight columns', async () => {
    const byCount = recorder({ maxEntities: 3 });
    await Promise.all([
      byCount.coalescer.read('k', entities('a', 'b')),
      byCount.coalescer.read('k', entities('c')),
      byCount.coalescer.read('k', entities('d')),
    ]);
    expect(byCount.reads.map((r) => r.ids)).toEqual([['a', 'b', 'c'], ['d']]);

    const byWeight = recorder({ maxWeight: 25 });
    await Promise.all([
      byWeight.coalescer.read('k', entities('a', 'b')),
      byWeight.coalescer.read('k', entities('c')),
      byWeight.coalescer.read('k', entities('d')),
    ]);
    expect(byWeight.reads.map((r) => r.ids)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('reads a batch larger than the caps on its own rather than refusing it', async () => {
    const { coalescer, reads } = recorder({ maxEntities: 2 });
    const out = await coalescer.read('k', entities('a', 'b', 'c'));
    expect(reads.map((r) => r.ids)).toEqual([['a', 'b', 'c']]);
    expect(values(out, 'c')).toEqual(['c@1']);
  });

  it('reads an entity asked for twice in one group once', async () => {
    const { coalescer, reads } = recorder();
    const [x, y] = await Promise.all([coalescer.read('k', entities('a', 'b')), coalescer.read('k', entities('b'))]);
    expect(reads.map((r) => r.ids)).toEqual([['a', 'b']]);
    expect(values(x, 'b')).toEqual(values(y, 'b'));
  });

  it('gives a failed read to every caller of its group and to no other group', async () => {
    const { coalescer } = recorder({ maxEntities: 2, fail: (ids) => ids.includes('bad') });
    const settled = await Promise.allSettled([
      coalescer.read('k', entities('bad')),
      coalescer.read('k', entities('ok1')),
      coalescer.read('k', entities('ok2')),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((settled[0] as PromiseRejectedResult).reason).toEqual(new Error('read 1 failed'));
  });
});
