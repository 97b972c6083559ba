import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RuntimeContext } from '../../src/runtime/context.js';
import { PARENT_CONCURRENCY, discover } from '../../src/runtime/discover.js';
import { processShard } from '../../src/runtime/process.js';
import { shardOf } from '../../src/runtime/shards.js';
import { SinkError } from '../../src/sink/contract.js';
import {
  FakeSource,
  MemorySink,
  estate,
  recordingLogger,
  recordingSleep,
  testConfig,
  type ConfigOptions,
  type SinkFault,
  type SourceFault,
} from './support/fakes.js';

function context(
  fqns: string[],
  opts: { source?: Map<string, SourceFault>; sink?: Map<string, SinkFault>; config?: ConfigOptions } = {},
) {
  const source = new FakeSource(fqns, opts.source);
  const sink = new MemorySink(opts.sink);
  const logger = recordingLogger();
  const sleeper = recordingSleep();
  const ctx: RuntimeContext = {
    config: testConfig(opts.config),
    source,
    sink,
    logger,
    sleep: sleeper.sleep,
  };
  return { ctx, source, sink, logger, delays: sleeper.delays };
}

describe('discover', () => {
  it('creates the parents in order, counts entities and picks K from chunkSize and parallelism', async () => {
    const { ctx, sink } = context(estate(3, 40), { config: { chunkSize: 10, parallelism: 4, shardFactor: 2 } });
    const result = await discover(ctx);
    expect(result).toMatchObject({ entities: 120, shards: 8, parents: 5 });
    expect(sink.upserts).toEqual(['svc', 'svc.db', 'svc.db.s0', 'svc.db.s1', 'svc.db.s2']);
  });

  it('keeps going when the server refuses one parent, and stops when it refuses the token', async () => {
    const refused = context(estate(2, 3), {
      sink: new Map<string, SinkFault>([
        ['svc.db.s1', { kind: 'rejected' }],
        ['svc.db.s0', { kind: 'transient', times: 1 }],
      ]),
    });
    const result = await discover(refused.ctx);
    expect(result.parentFailures.map((f) => f.fqn)).toEqual(['svc.db.s1']);
    expect(result.entities).toBe(6);

    const auth = context(estate(2, 3), { sink: new Map([['svc', { kind: 'auth' }]]) });
    await expect(discover(auth.ctx)).rejects.toThrow(SinkError);
  });

  it('stops before processing entities when a parent cannot be created for a server error, or the service at all', async () => {
    const down = context(estate(2, 3), { sink: new Map<string, SinkFault>([['svc.db.s0', { kind: 'exhausted' }]]) });
    await expect(discover(down.ctx)).rejects.toThrow(
      /Could not create databaseSchema svc\.db\.s0 in OpenMetadata \(answered HTTP 503 after 3 attempt\(s\)\); the entities under it cannot be written, so the run stops before processing them/,
    );
    expect(down.sink.upserts.filter((f) => f.split('.').length === 4)).toEqual([]);
    const service = context(estate(2, 3), { sink: new Map<string, SinkFault>([['svc', { kind: 'rejected' }]]) });
    await expect(discover(service.ctx)).rejects.toThrow(/Could not create databaseService svc in OpenMetadata/);
  });
});

describe('discover: parents level by level, the listing alongside', () => {
  /** Wraps the sink's upsert: records starts and ends, holds each request `delayMs(fqn)` ms. */
  function slowParents(sink: MemorySink, source: FakeSource, delayMs: (fqn: string) => number) {
    const events: string[] = [];
    const seen = { inFlight: 0, most: 0, listingStartedDuringParents: false };
    const upsert = sink.upsert.bind(sink);
    sink.upsert = async (request, budget) => {
      seen.inFlight++;
      seen.most = Math.max(seen.most, seen.inFlight);
      if (source.discoverCalls > 0) seen.listingStartedDuringParents = true;
      events.push(`start ${request.fqn}`);
      await new Promise((resolve) => setTimeout(resolve, delayMs(request.fqn)));
      seen.inFlight--;
      try {
        return await upsert(request, budget);
      } finally {
        events.push(`end ${request.fqn}`);
      }
    };
    return { events, seen };
  }

  it('creates a level once the one above is done, up to PARENT_CONCURRENCY at once, while the listing runs', async () => {
    const { ctx, sink, source } = context(estate(12, 2), { config: { parallelism: 50 } });
    const { events, seen } = slowParents(sink, source, () => 5);
    const result = await discover(ctx);
    expect(result).toMatchObject({ parents: 14, entities: 24 });
    expect(events.slice(0, 4)).toEqual(['start svc', 'end svc', 'start svc.db', 'end svc.db']);
    expect(seen.most).toBe(PARENT_CONCURRENCY);
    expect(seen.listingStartedDuringParents).toBe(true);
  });

  it('creates the parents one at a time at parallelism 1 (sequential mode)', async () => {
    const { ctx, sink, source } = context(estate(4, 1));
    const { seen } = slowParents(sink, source, () => 1);
    await discover(ctx, { parallelism: 1, shardFactor: 1 });
    expect(seen.most).toBe(1);
  });

  it('throws the failure of the first parent in order when several fail, whichever failed first', async () => {
    const faults = new Map<string, SinkFault>([
      ['svc.db.s3', { kind: 'exhausted' }],
      ['svc.db.s5', { kind: 'exhausted' }],
    ]);
    const { ctx, sink, source } = context(estate(12, 1), { sink: faults, config: { parallelism: 50 } });
    // s5 fails first, the other schemas in flight end later, s3 last.
    const { events } = slowParents(sink, source, (fqn) => (fqn === 'svc.db.s3' ? 30 : fqn === 'svc.db.s5' ? 1 : 10));
    await expect(discover(ctx)).rejects.toThrow(/Could not create databaseSchema svc\.db\.s3 in OpenMetadata/);
    // No schema starts after a failure that stops the run: only the first PARENT_CONCURRENCY did.
    const started = events.filter((e) => e.startsWith('start svc.db.'));
    expect(started).toHaveLength(PARENT_CONCURRENCY);
  });
});

describe('process', () => {
  it('processes every entity exactly once over all shards', async () => {
    const fqns = estate(5, 37);
    const { ctx, sink, source } = context(fqns);
    const results = [];
    for (let shard = 0; shard < 6; shard++) results.push(await processShard(ctx, { shard, shards: 6 }));
    expect(sink.upserts.slice().sort()).toEqual(fqns.slice().sort());
    expect(results.reduce((n, r) => n + r.entities, 0)).toBe(fqns.length);
    for (const result of results) {
      const processed = source.batches.flat().filter((f) => shardOf(f, 6) === result.shard);
      expect(processed.length).toBe(result.entities);
    }
    expect(results.every((r) => r.failed === 0 && r.created === r.entities)).toBe(true);
  });

  it('batches at most chunkSize entities of one schema at a time', async () => {
    const { ctx, source } = context(estate(3, 25), { config: { chunkSize: 10 } });
    await processShard(ctx, { shard: 0, shards: 1 });
    expect(source.batches.map((b) => b.length)).toEqual([10, 10, 5, 10, 10, 5, 10, 10, 5]);
    for (const batch of source.batches) expect(new Set(batch.map((f) => f.split('.')[2])).size).toBe(1);
  });

  it('isolates a failed entity: the rest of its batch and shard succeed', async () => {
    const bad = 'svc.db.s1.t3';
    const { ctx, sink } = context(estate(2, 10), {
      source: new Map([[bad, { error: 'permission denied for table t3', retryable: false }]]),
    });
    const result = await processShard(ctx, { shard: 0, shards: 1 });
    expect(result).toMatchObject({ entities: 20, succeeded: 19, failed: 1 });
    expect(result.failures).toEqual([{ fqn: bad, error: 'permission denied for table t3' }]);
    expect(sink.live()).not.toContain(bad);
    expect(sink.live()).toHaveLength(19);
  });

  it('retries a retryable source failure with the retryPolicy backoff, alone, until it succeeds', async () => {
    const flaky = 'svc.db.s0.t2';
    const { ctx, source, sink, delays } = context(estate(1, 5), {
      source: new Map([[flaky, { error: 'connection reset', retryable: true, times: 2 }]]),
    });
    const result = await processShard(ctx, { shard: 0, shards: 1 });
    expect(result).toMatchObject({ succeeded: 5, failed: 0 });
    expect(delays).toEqual([1000, 2000]);
    expect(source.batches.slice(1)).toEqual([[flaky], [flaky]]);
    expect(sink.live()).toContain(flaky);
  });

  it('gives up after maxAttempts and reports the last error', async () => {
    const flaky = 'svc.db.s0.t2';
    const { ctx, delays } = context(estate(1, 5), {
      source: new Map([[flaky, { error: 'timeout', retryable: true }]]),
      config: { maxAttempts: 4 },
    });
    const result = await processShard(ctx, { shard: 0, shards: 1 });
    expect(result).toMatchObject({ succeeded: 4, failed: 1, failures: [{ fqn: flaky, error: 'timeout' }] });
    expect(delays).toHaveLength(3);
  });

  it('retries transient sink faults, but not a request the server rejected', async () => {
    const { ctx, sink } = context(estate(1, 4), {
      sink: new Map<string, SinkFault>([
        ['svc.db.s0.t0', { kind: 'transient', times: 2 }],
        ['svc.db.s0.t1', { kind: 'rejected' }],
      ]),
    });
    const result = await processShard(ctx, { shard: 0, shards: 1 });
    expect(result).toMatchObject({ succeeded: 3, failed: 1 });
    expect(result.failures[0]!.fqn).toBe('svc.db.s0.t1');
    expect(sink.upserts.filter((f) => f === 'svc.db.s0.t0')).toHaveLength(3);
    expect(sink.upserts.filter((f) => f === 'svc.db.s0.t1')).toHaveLength(1);
  });

  it("does not retry an entity whose 503s outlasted the sink's retries: they spent its budget", async () => {
    const { ctx, sink, delays } = context(estate(1, 3), {
      sink: new Map<string, SinkFault>([['svc.db.s0.t1', { kind: 'exhausted', times: 2 }]]),
    });
    const result = await processShard(ctx, { shard: 0, shards: 1 });
    expect(result).toMatchObject({ succeeded: 2, failed: 1 });
    expect(delays).toEqual([]);
    expect(sink.upserts.filter((f) => f === 'svc.db.s0.t1')).toHaveLength(1);
  });

  it('gives the sink one budget of maxAttempts^2 - 1 retries per entity', async () => {
    // maxAttempts 3: 8 retries, so 9 transient answers fail the entity and 8 do not.
    const { ctx, sink } = context(estate(1, 2), {
      sink: new Map<string, SinkFault>([
        ['svc.db.s0.t0', { kind: 'transient', times: 8 }],
        ['svc.db.s0.t1', { kind: 'transient', times: 9 }],
      ]),
    });
    const result = await processShard(ctx, { shard: 0, shards: 1 });
    expect(result).toMatchObject({ succeeded: 1, failed: 1 });
    expect(result.failures[0]).toMatchObject({
      fqn: 'svc.db.s0.t1',
      error: expect.stringContaining('after 9 attempt(s)'),
    });
    expect(sink.upserts.filter((f) => f === 'svc.db.s0.t0')).toHaveLength(9);
    expect(sink.upserts.filter((f) => f === 'svc.db.s0.t1')).toHaveLength(9);
  });

  it('fails the shard at once when OpenMetadata stays unreachable through the sink retries', async () => {
    const { ctx, delays } = context(estate(1, 3), { sink: new Map([['svc.db.s0.t0', { kind: 'unreachable' }]]) });
    await expect(processShard(ctx, { shard: 0, shards: 1 })).rejects.toThrow('Cannot reach OpenMetadata');
    expect(delays).toHaveLength(0);
  });

  it('fails the whole shard when the sink refuses the credentials', async () => {
    const { ctx } = context(estate(1, 4), { sink: new Map([['svc.db.s0.t2', { kind: 'auth' }]]) });
    await expect(processShard(ctx, { shard: 0, shards: 1 })).rejects.toThrow(/rejected the token/);
  });

  it('reports at most 5 failures but counts all of them', async () => {
    const fqns = estate(1, 12);
    const { ctx } = context(fqns, {
      source: new Map(fqns.map((f) => [f, { error: `bad ${f}`, retryable: false }])),
    });
    const result = await processShard(ctx, { shard: 0, shards: 1 });
    expect(result.failed).toBe(12);
    expect(result.failures).toHaveLength(5);
  });

  it('rejects a shard number outside 0..K-1', async () => {
    const { ctx } = context(estate(1, 1));
    await expect(processShard(ctx, { shard: 3, shards: 3 })).rejects.toThrow(
      '--shard must be a whole number from 0 to 2, not 3',
    );
  });

  describe('progress file', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'progress-'));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('holds N/M for the shard when it ends, counting failed entities as done', async () => {
      const file = join(dir, 'progress');
      const { ctx } = context(estate(2, 15), {
        source: new Map([['svc.db.s0.t0', { error: 'x', retryable: false }]]),
      });
      const result = await processShard(ctx, { shard: 1, shards: 2, progressFile: file });
      expect(await readFile(file, 'utf8')).toBe(`${result.entities}/${result.entities}`);
    });

    it('counts up batch by batch', async () => {
      const file = join(dir, 'progress');
      const seen: string[] = [];
      const { ctx, source } = context(estate(1, 25), { config: { chunkSize: 10 } });
      const original = source.process.bind(source);
      source.process = async (batch) => {
        seen.push(await readFile(file, 'utf8').catch(() => 'none'));
        return original(batch);
      };
      await processShard(ctx, { shard: 0, shards: 1, progressFile: file });
      expect(seen).toEqual(['0/25', '10/25', '20/25']);
      expect(await readFile(file, 'utf8')).toBe('25/25');
    });
  });
});
