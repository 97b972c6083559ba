import { describe, expect, it } from 'vitest';
import type { RuntimeContext } from '../../src/runtime/context.js';
import { processShard } from '../../src/runtime/process.js';
import { SinkError, type BulkItemResult } from '../../src/sink/contract.js';
import type { UpsertRequest } from '../../src/sources/contract.js';
import {
  FakeSource,
  MemorySink,
  estate,
  recordingLogger,
  recordingSleep,
  testConfig,
  type SinkFault,
} from './support/fakes.js';

/** MemorySink with upsertMany, as the REST sink on a server with PUT /v1/tables/bulk. */
class BulkSink extends MemorySink {
  readonly bulkCalls: string[][] = [];

  constructor(
    faults: ReadonlyMap<string, SinkFault>,
    /** Items the bulk call reports as failed (a single upsert of them then works). */
    private readonly failInBulk: ReadonlySet<string> = new Set(),
    /** How the whole bulk call ends: 'off' = no bulk endpoint (undefined). */
    private readonly whole?: 'exhausted' | 'auth' | 'off',
  ) {
    super(faults);
  }

  async upsertMany(requests: readonly UpsertRequest[]): Promise<BulkItemResult[] | undefined> {
    this.bulkCalls.push(requests.map((r) => r.fqn));
    if (this.whole === 'off') return undefined;
    if (this.whole === 'exhausted') throw new SinkError('answered HTTP 503 after 3 attempt(s)', 'other', 503);
    if (this.whole === 'auth') throw new SinkError('OpenMetadata rejected the token (401)', 'auth', 401);
    const results: BulkItemResult[] = [];
    for (const request of requests) {
      if (this.failInBulk.has(request.fqn)) {
        results.push(new SinkError(`rejected ${request.fqn} in a bulk upsert`, 'rejected', 400));
        continue;
      }
      await this.upsert(request);
      // `upserts` lists single upserts only.
      this.upserts.pop();
      // The bulk answer does not tell created from updated.
      results.push('updated');
    }
    return results;
  }
}

function context(sink: BulkSink, fqns: string[]) {
  const ctx: RuntimeContext = {
    config: testConfig({ chunkSize: 10 }),
    source: new FakeSource(fqns),
    sink,
    logger: recordingLogger(),
    sleep: recordingSleep().sleep,
  };
  return ctx;
}

describe('process with bulk upserts', () => {
  it('upserts each batch of tables in one call, no single PUT', async () => {
    const fqns = estate(3, 25);
    const sink = new BulkSink(new Map());
    const result = await processShard(context(sink, fqns), { shard: 0, shards: 1 });
    expect(result).toMatchObject({ entities: 75, succeeded: 75, failed: 0, created: 0, updated: 75 });
    expect(sink.bulkCalls.every((c) => c.length <= 10)).toBe(true);
    expect(sink.bulkCalls.flat().sort()).toEqual(fqns.slice().sort());
    expect(sink.bulkCalls).toHaveLength(9); // 3 schemas x ceil(25 / 10)
    expect(sink.upserts).toEqual([]);
    expect(sink.live()).toEqual(fqns.slice().sort());
  });

  it('retries the failed items of a bulk answer one by one with the usual policy, and reports what stays refused', async () => {
    const fqns = estate(1, 10);
    const [flaky, refused] = [fqns[2]!, fqns[5]!];
    const sink = new BulkSink(new Map([[refused, { kind: 'rejected' }]]), new Set([flaky, refused]));
    const result = await processShard(context(sink, fqns), { shard: 0, shards: 1 });
    expect(result).toMatchObject({ succeeded: 9, failed: 1 });
    expect(result.failures).toEqual([{ fqn: refused, error: expect.stringContaining(`server refused ${refused}`) }]);
    // Only the two failed items took single PUTs; the refused one once (400 is final).
    expect(sink.upserts.slice().sort()).toEqual([flaky, refused].sort());
    expect(sink.live()).toEqual(fqns.filter((f) => f !== refused).sort());
  });

  it('upserts every table of a batch singly when the bulk call fails as a whole, or when there is no endpoint', async () => {
    for (const whole of ['exhausted', 'off'] as const) {
      const fqns = estate(2, 7);
      const sink = new BulkSink(new Map(), new Set(), whole);
      const result = await processShard(context(sink, fqns), { shard: 0, shards: 1 });
      expect(result, whole).toMatchObject({ succeeded: 14, failed: 0, created: 14 });
      expect(sink.upserts.slice().sort(), whole).toEqual(fqns.slice().sort());
    }
  });

  it('ends the shard when the bulk call loses the credentials', async () => {
    const sink = new BulkSink(new Map(), new Set(), 'auth');
    await expect(processShard(context(sink, estate(1, 3)), { shard: 0, shards: 1 })).rejects.toMatchObject({
      reason: 'auth',
    });
    expect(sink.upserts).toEqual([]);
  });
});
