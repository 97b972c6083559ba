import { describe, expect, it } from 'vitest';
import { deletionScope, listingScopeOf } from '../../src/runtime/deletion-scope.js';
import { finalize } from '../../src/runtime/finalize.js';
import { FakeSource, MemorySink, estate, recordingLogger, testConfig } from './support/fakes.js';

describe('deletion scope', () => {
  it('takes the schemas parents() yields when the source says nothing else', async () => {
    const scope = await listingScopeOf(new FakeSource(estate(2, 2)));
    expect(scope).toEqual({ listed: ['svc.db.s0', 'svc.db.s1'], unlisted: [] });
    expect(await listingScopeOf({})).toEqual({ listed: [], unlisted: [] });
  });

  it('includes an entity only directly under a listed container, and names the unlisted one above it', () => {
    const scope = deletionScope(testConfig(), {
      listed: ['svc.db.s0', 'svc."d.b".s1'],
      unlisted: [{ fqn: 'svc.hidden', reason: 'no CONNECT' }],
    });
    expect(scope.includes('svc.db.s0.t1')).toBe(true);
    expect(scope.includes('svc."d.b".s1.t1')).toBe(true);
    expect(scope.includes('svc.db.s2.t1')).toBe(false);
    expect(scope.includes('svc.db.s0')).toBe(false);
    expect(scope.unlistedContainerOf('svc.hidden.s.t')).toEqual({ fqn: 'svc.hidden', reason: 'no CONNECT' });
    expect(scope.unlistedContainerOf('svc.hiddenx.s.t')).toBeUndefined();
  });

  it('finalize leaves a table of an unlisted database alone, names it, and fails the run', async () => {
    const sink = new MemorySink();
    for (const fqn of ['svc.db.s0.t0', 'svc.db.s0.t1', 'svc.other.s0.t0'])
      await sink.upsert({ kind: 'table', fqn, body: {} });
    const source = new FakeSource(['svc.db.s0.t0']);
    const scoped = Object.assign(source, {
      listingScope: async () => ({
        listed: ['svc.db.s0'],
        unlisted: [{ fqn: 'svc.other', reason: 'connection refused' }],
      }),
    });
    const shard = {
      shard: 0,
      shards: 1,
      entities: 1,
      succeeded: 1,
      failed: 0,
      created: 0,
      updated: 1,
      failures: [],
      durationMs: 1,
    };
    const report = await finalize(
      { config: testConfig({ maxDeletedFraction: 1 }), source: scoped, sink, logger: recordingLogger() },
      { results: [shard], entities: 1 },
    );
    expect(sink.deleted()).toEqual(['svc.db.s0.t1']);
    expect(report.markDeleted?.incomplete).toEqual([{ fqn: 'svc.other', reason: 'connection refused', entities: 1 }]);
    expect(report).toMatchObject({ passed: false, incompleteFailed: true });
  });
});
