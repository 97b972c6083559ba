import { describe, expect, it } from 'vitest';
import { finalize } from '../../src/runtime/finalize.js';
import { processShard } from '../../src/runtime/process.js';
import { aggregate, parseShardResults } from '../../src/runtime/results.js';
import type { ShardResult } from '../../src/runtime/worker-contract.js';
import { FakeSource, MemorySink, estate, recordingLogger, testConfig, type ConfigOptions } from './support/fakes.js';

function shard(partial: Partial<ShardResult> & Pick<ShardResult, 'shard' | 'shards'>): ShardResult {
  return { entities: 0, succeeded: 0, failed: 0, created: 0, updated: 0, failures: [], durationMs: 1, ...partial };
}

/** Ingests `before` into a MemorySink, then runs finalize for a source that now lists `after`. */
async function ingestThenFinalize(
  before: string[],
  after: string[],
  config: ConfigOptions = {},
  failing: string[] = [],
  shards = 3,
) {
  const sink = new MemorySink();
  const logger = recordingLogger();
  const cfg = testConfig(config);
  const first = new FakeSource(before);
  for (let i = 0; i < shards; i++)
    await processShard({ config: cfg, source: first, sink, logger }, { shard: i, shards });
  const source = new FakeSource(
    after,
    new Map(failing.map((f) => [f, { error: 'cannot read columns', retryable: false }])),
  );
  const results: ShardResult[] = [];
  for (let i = 0; i < shards; i++)
    results.push(await processShard({ config: cfg, source, sink, logger }, { shard: i, shards }));
  const report = await finalize({ config: cfg, source, sink, logger }, { results, entities: after.length });
  return { report, sink, logger };
}

describe('success threshold', () => {
  it('computes the success rate over the discovered entities', () => {
    const ok = aggregate([shard({ shard: 0, shards: 1, entities: 10, succeeded: 9, failed: 1 })], 10);
    expect(ok.successPercent).toBe(90);
    const under = aggregate([shard({ shard: 0, shards: 1, entities: 10, succeeded: 8, failed: 2 })], 10);
    expect(under.successPercent).toBe(80);
  });

  it('fails the run when successes fall under the threshold', async () => {
    const fqns = estate(1, 10);
    const { report } = await ingestThenFinalize(fqns, fqns, { successThreshold: 90 }, fqns.slice(0, 2));
    expect(report.passed).toBe(false);
    expect(report.totals).toMatchObject({ succeeded: 8, failed: 2 });
    const { report: fine } = await ingestThenFinalize(fqns, fqns, { successThreshold: 80 }, fqns.slice(0, 2));
    expect(fine.passed).toBe(true);
  });

  it('counts the entities of a shard that never reported as failed', () => {
    const totals = aggregate(
      [
        shard({ shard: 0, shards: 3, entities: 40, succeeded: 40 }),
        shard({ shard: 2, shards: 3, entities: 30, succeeded: 30 }),
      ],
      100,
    );
    expect(totals).toMatchObject({ missingShards: [1], unreported: 30, failed: 30, succeeded: 70, successPercent: 70 });
  });

  it('treats an empty estate as a success', () => {
    expect(aggregate([shard({ shard: 0, shards: 1 })], 0).successPercent).toBe(100);
  });
});

describe('results checked against discover', () => {
  it('counts what the shards did not report as failed (400 of 600 is not 100%)', () => {
    const totals = aggregate(
      [
        shard({ shard: 0, shards: 2, entities: 200, succeeded: 200 }),
        shard({ shard: 1, shards: 2, entities: 200, succeeded: 200 }),
      ],
      600,
      { shards: 2 },
    );
    expect(totals).toMatchObject({ missingShards: [], succeeded: 400, failed: 200, unreported: 200, total: 600 });
    expect(totals.successPercent).toBeCloseTo(66.67, 1);
  });

  it('rejects a result with another K, succeeded > entities, inconsistent counts or more than discover found', () => {
    const totals = aggregate(
      [
        shard({ shard: 0, shards: 4, entities: 10, succeeded: 10 }),
        shard({ shard: 1, shards: 3, entities: 10, succeeded: 100 }),
        shard({ shard: 2, shards: 3, entities: 10, succeeded: 5, failed: 1 }),
        shard({ shard: 0, shards: 3, entities: 31, succeeded: 31 }),
      ],
      30,
      { shards: 3 },
    );
    expect(totals.rejected.map((r) => r.reason)).toEqual([
      'it counts 4 shards, but discover chose 3',
      '100 succeeded is more than its 10 entities',
      '5 succeeded + 1 failed is not its 10 entities',
      '31 entities is more than discover found in all (30)',
    ]);
    expect(totals).toMatchObject({ missingShards: [0, 1, 2], succeeded: 0, failed: 30, successPercent: 0 });
  });

  it('names every shard as missing when none reported, with K from discover', async () => {
    const cfg = testConfig();
    const logger = recordingLogger();
    const report = await finalize(
      { config: cfg, source: new FakeSource([]), sink: new MemorySink(), logger },
      { results: [], entities: 12, shards: 3 },
    );
    expect(report.passed).toBe(false);
    expect(report.totals).toMatchObject({ missingShards: [0, 1, 2], failed: 12, succeeded: 0 });
    expect(report.markDeleted?.reason).toMatch(/not every shard reported a result \(shards 0, 1, 2\)/);
    expect(report.markDeleted?.deleted).toEqual([]);
  });

  it('fails a run with a missing shard even when the success rate passes the threshold', async () => {
    const run = (shards: number) =>
      finalize(
        {
          config: testConfig({ successThreshold: 0 }),
          source: new FakeSource([]),
          sink: new MemorySink(),
          logger: recordingLogger(),
        },
        { results: [shard({ shard: 0, shards, entities: 39, succeeded: 39 })], entities: 39, shards },
      );
    expect((await run(1)).passed).toBe(true);
    const incomplete = await run(2);
    expect(incomplete.passed).toBe(false);
    expect(incomplete.totals.missingShards).toEqual([1]);
  });
});

describe('mark deleted', () => {
  const before = estate(2, 10);
  const dropped = ['svc.db.s0.t4', 'svc.db.s1.t0', 'svc.db.s1.t9'];
  const after = before.filter((f) => !dropped.includes(f));

  it('soft-deletes exactly the entities the source no longer lists', async () => {
    const { report, sink } = await ingestThenFinalize(before, after);
    expect(report.markDeleted?.deleted).toEqual(dropped);
    expect(sink.deleted()).toEqual(dropped);
    expect(sink.live()).toEqual(after.slice().sort());
  });

  it('deletes nothing when an entity failed in the run, and says why', async () => {
    const { report, sink } = await ingestThenFinalize(before, after, {}, ['svc.db.s0.t0']);
    expect(sink.deleted()).toEqual([]);
    expect(report.markDeleted?.reason).toMatch(/1 entity failed in this run, so nothing is marked deleted/);
  });

  it('deletes nothing when a larger fraction than maxDeletedFraction would go', async () => {
    const { report, sink } = await ingestThenFinalize(before, after, { maxDeletedFraction: 0.1 });
    expect(sink.deleted()).toEqual([]);
    expect(report.markDeleted?.reason).toMatch(
      /3 of 20 tables \(15%\) are no longer in the source, above maxDeletedFraction 10%/,
    );
  });

  it('deletes up to exactly the guard fraction', async () => {
    const { sink } = await ingestThenFinalize(before, after, { maxDeletedFraction: 0.15 });
    expect(sink.deleted()).toEqual(dropped);
  });

  it('deletes nothing when a shard did not report', async () => {
    const sink = new MemorySink();
    const logger = recordingLogger();
    const config = testConfig();
    const source = new FakeSource(after);
    await sink.upsert({ kind: 'table', fqn: dropped[0]!, body: {} });
    const report = await finalize(
      { config, source, sink, logger },
      { results: [shard({ shard: 0, shards: 2, entities: 5, succeeded: 5 })], entities: after.length },
    );
    expect(sink.deleted()).toEqual([]);
    expect(report.markDeleted?.reason).toMatch(/not every shard reported a result \(shard 1\)/);
  });

  it('deletes nothing when discovery fails in finalize', async () => {
    const sink = new MemorySink();
    await sink.upsert({ kind: 'table', fqn: dropped[0]!, body: {} });
    const source = {
      // eslint-disable-next-line require-yield
      discover: async function* () {
        throw new Error('connection lost');
      },
    };
    const report = await finalize(
      { config: testConfig(), source, sink, logger: recordingLogger() },
      { results: [shard({ shard: 0, shards: 1 })], entities: 0 },
    );
    expect(sink.deleted()).toEqual([]);
    expect(report.markDeleted?.reason).toMatch(/discovery did not complete \(connection lost\)/);
  });

  it('is skipped with a reason when the sink cannot list (file sink)', async () => {
    const sink = new MemorySink(new Map(), false);
    const report = await finalize(
      {
        config: testConfig({ sinkFile: '/tmp/x.jsonl' }),
        source: new FakeSource(after),
        sink,
        logger: recordingLogger(),
      },
      { results: [shard({ shard: 0, shards: 1 })], entities: 0 },
    );
    expect(report.markDeleted?.reason).toBe('the file sink cannot list existing tables, so nothing is marked deleted');
  });

  it('does nothing when markDeletedTables is off', async () => {
    const { report, sink } = await ingestThenFinalize(before, after, { markDeleted: false });
    expect(report.markDeleted).toBeUndefined();
    expect(sink.deleted()).toEqual([]);
  });
});

describe('--results', () => {
  const one = shard({ shard: 0, shards: 2, entities: 3, succeeded: 3, created: 3 });

  it('accepts objects, JSON strings and {result: ...} items, as Argo may aggregate them', () => {
    const text = JSON.stringify([one, JSON.stringify({ ...one, shard: 1 }), { result: JSON.stringify(one) }]);
    expect(parseShardResults(text).map((r) => r.shard)).toEqual([0, 1, 0]);
  });

  it('names the bad item and field', () => {
    expect(() => parseShardResults('not json')).toThrow(/--results is not JSON/);
    expect(() => parseShardResults(JSON.stringify([one, { ...one, succeeded: -1 }]))).toThrow(
      /--results item 1 is not a shard result \(succeeded:/,
    );
  });
});
