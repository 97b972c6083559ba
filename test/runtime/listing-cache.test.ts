import { describe, expect, it } from 'vitest';
import { ListingCache } from '../../src/runtime/listing-cache.js';
import { shardOf } from '../../src/runtime/shards.js';
import type { EntityDescriptor } from '../../src/sources/contract.js';
import { FakeSource, estate } from './support/fakes.js';

async function fqnsOf(iterable: AsyncIterable<EntityDescriptor>): Promise<string[]> {
  const out: string[] = [];
  for await (const d of iterable) out.push(d.fqn);
  return out;
}

describe('ListingCache', () => {
  it('records the first listing and replays it without asking the source again', async () => {
    const source = new FakeSource(estate(3, 10));
    const cache = new ListingCache(source);
    const first = await fqnsOf(cache.source().discover());
    expect(cache.complete).toBe(true);
    expect(await fqnsOf(cache.source().discover())).toEqual(first);
    expect(first).toEqual(estate(3, 10));
    expect(source.discoverCalls).toBe(1);
  });

  it('gives each shard exactly its own entities, in listing order, and the whole listing again after that', async () => {
    const source = new FakeSource(estate(4, 25));
    const cache = new ListingCache(source);
    await fqnsOf(cache.source().discover());
    const shards = 7;
    const seen: string[] = [];
    for (let shard = 0; shard < shards; shard++) {
      const part = await fqnsOf(cache.shardSource(shard, shards).discover());
      expect(part.every((fqn) => shardOf(fqn, shards) === shard)).toBe(true);
      expect(part).toEqual(estate(4, 25).filter((fqn) => shardOf(fqn, shards) === shard));
      seen.push(...part);
    }
    expect(seen.sort()).toEqual(estate(4, 25).sort());
    expect(source.discoverCalls).toBe(1);
    // A part is handed out once; asking again (a retried shard) lists the source again.
    expect(await fqnsOf(cache.shardSource(0, shards).discover())).toEqual(estate(4, 25));
    expect(source.discoverCalls).toBe(2);
  });

  it('keeps nothing when the listing is over the cap, so every shard lists the source again', async () => {
    const source = new FakeSource(estate(2, 10));
    const cache = new ListingCache(source, { maxEntities: 19 });
    expect(await fqnsOf(cache.source().discover())).toEqual(estate(2, 10));
    expect(cache.complete).toBe(false);
    expect(await fqnsOf(cache.shardSource(1, 3).discover())).toEqual(estate(2, 10));
    expect(await fqnsOf(cache.source().discover())).toEqual(estate(2, 10));
    expect(source.discoverCalls).toBe(3);
  });

  it('passes process, parents and close through to the wrapped source', async () => {
    const source = new FakeSource(estate(1, 3));
    const cache = new ListingCache(source);
    const wrapped = cache.source();
    const [first] = await fqnsOf(wrapped.discover());
    const outcomes = await wrapped.process([{ fqn: first!, type: 'table' }]);
    expect(outcomes.map((o) => [o.fqn, o.ok])).toEqual([[first, true]]);
    expect(wrapped.type).toBe(source.type);
  });
});
