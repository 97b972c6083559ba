import { describe, expect, it } from 'vitest';
import { MAX_SHARDS, chooseShardCount, fnv1a32, shardOf } from '../../src/runtime/shards.js';
import { estate } from './support/fakes.js';

describe('shard assignment', () => {
  it('hashes with FNV-1a 32-bit (published test vectors)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes, so non-ASCII names are stable across platforms', () => {
    // "é" is two UTF-8 bytes (c3 a9); hashing UTF-16 code units would give another value.
    let expected = 0x811c9dc5;
    for (const byte of [0xc3, 0xa9]) expected = Math.imul(expected ^ byte, 0x01000193) >>> 0;
    expect(fnv1a32('é')).toBe(expected);
  });

  it('puts every entity in exactly one shard, and the same one every time', () => {
    const fqns = estate(7, 143);
    for (const shards of [1, 2, 7, 64]) {
      const first = fqns.map((f) => shardOf(f, shards));
      const again = fqns.map((f) => shardOf(f, shards));
      expect(again).toEqual(first);
      expect(first.every((s) => Number.isInteger(s) && s >= 0 && s < shards)).toBe(true);
    }
  });

  it('spreads entities roughly evenly', () => {
    const counts = new Array<number>(16).fill(0);
    for (const fqn of estate(10, 1000)) counts[shardOf(fqn, 16)]!++;
    // 10,000 entities over 16 shards: 625 each on average.
    expect(Math.min(...counts)).toBeGreaterThan(500);
    expect(Math.max(...counts)).toBeLessThan(750);
  });

  it('rejects a shard count below 1', () => {
    expect(() => shardOf('a', 0)).toThrow(/positive integer/);
  });
});

describe('shard count', () => {
  const options = { parallelism: 10, shardFactor: 2 };

  it('gives every parallel slot a shard once there are as many entities as slots', () => {
    expect(chooseShardCount(10, options)).toBe(10);
    expect(chooseShardCount(40, options)).toBe(10);
    // 758 tables at parallelism 50: 100 shards, not ceil(758 / chunkSize 100) = 8.
    expect(chooseShardCount(758, { parallelism: 50, shardFactor: 2 })).toBe(100);
    // 40 tables at parallelism 4: 8 shards, not 1.
    expect(chooseShardCount(40, { parallelism: 4, shardFactor: 2 })).toBe(8);
  });

  it('keeps about 5 entities per shard below parallelism (pod start-up would dominate)', () => {
    expect(chooseShardCount(9, options)).toBe(2);
    expect(chooseShardCount(3, options)).toBe(1);
    expect(chooseShardCount(75, options)).toBe(15);
  });

  it('has no floor in local mode, where a shard costs no pod start-up', () => {
    expect(chooseShardCount(9, { ...options, orchestrator: 'local' })).toBe(9);
    expect(chooseShardCount(15, { ...options, orchestrator: 'local' })).toBe(15);
    expect(chooseShardCount(758, { parallelism: 50, shardFactor: 2, orchestrator: 'local' })).toBe(100);
    expect(chooseShardCount(15, { ...options, orchestrator: 'argo' })).toBe(10);
  });

  it('caps the count at parallelism x shardFactor for large estates', () => {
    expect(chooseShardCount(1_000_000, options)).toBe(20);
  });

  it('never exceeds MAX_SHARDS, so the Workflow object stays small whatever parallelism x shardFactor is', () => {
    expect(chooseShardCount(10_000_000, { parallelism: 500, shardFactor: 20 })).toBe(MAX_SHARDS);
    expect(MAX_SHARDS).toBe(1000);
  });

  it('never goes below one shard, even with nothing to do', () => {
    expect(chooseShardCount(0, options)).toBe(1);
  });
});
