import { describe, expect, it } from 'vitest';
import { formatEstimate, estimateRun } from '../../src/cluster/estimate.js';
import { resolveConfig } from '../../src/config/load.js';
import type { DiscoverableSource, EntityDescriptor } from '../../src/sources/contract.js';
import { pipelineConfig } from './fixtures.js';

const ENV = {
  POSTGRES_HOST_PORT: 'localhost:5432',
  POSTGRES_USER: 'u',
  POSTGRES_PASSWORD: 'p',
  OPENMETADATA_HOST_PORT: 'http://localhost:8585/api',
  OM_JWT_TOKEN: 't',
};

/** A source of `tables` tables and `views` views whose process() advances a fake clock by 50 ms per entity. */
function fakeSource(tables: number, views: number, clock: { t: number }) {
  const processed: number[] = [];
  const source: DiscoverableSource = {
    type: 'postgres',
    testConnection: async () => undefined,
    parents: async function* () {},
    discover: async function* (): AsyncGenerator<EntityDescriptor> {
      for (let i = 0; i < tables + views; i++) {
        yield { fqn: `svc.db.s.t${i}`, type: 'table', meta: { view: i >= tables } };
      }
    },
    process: async (batch) => {
      processed.push(batch.length);
      clock.t += 50 * batch.length;
      return batch.map((d) => ({ fqn: d.fqn, ok: true as const, requests: [] }));
    },
    close: async () => undefined,
  };
  return { source, processed };
}

describe('estimateRun', () => {
  const config = resolveConfig(pipelineConfig({ parallelism: 30 }), ENV);

  it('follows time = (entities / pods) x time per entity and cost = pods x hours x price', async () => {
    const clock = { t: 0 };
    const { source, processed } = fakeSource(9000, 1000, clock);
    const report = await estimateRun(config, source, { secondsPerEntity: 2, podCostPerHour: 0.1 });
    expect(report.entities).toBe(10_000);
    expect(report.byType).toEqual({ table: 10_000 });
    expect(report.shards).toBe(60); // min(10000 / 100, 30 x 2)
    expect(report.distributed.pods).toBe(30);
    expect(report.distributed.seconds).toBeCloseTo((10_000 / 30) * 2, 9);
    expect(report.distributed.cost).toBeCloseTo(30 * (((10_000 / 30) * 2) / 3600) * 0.1, 9);
    expect(report.sequential.seconds).toBe(20_000);
    expect(report.sequential.cost).toBeCloseTo((20_000 / 3600) * 0.1, 9);
    expect(report.speedup).toBeCloseTo(30, 9);
    expect(processed).toEqual([]);
  });

  it('measures the time per entity on a sample processed in chunk-size batches', async () => {
    const clock = { t: 0 };
    const { source, processed } = fakeSource(300, 0, clock);
    const report = await estimateRun(config, source, { sample: 150, now: () => clock.t });
    expect(processed).toEqual([100, 50]);
    expect(report.timing).toEqual({ kind: 'measured', sampled: 150, failed: 0, seconds: 7.5 });
    expect(report.secondsPerEntity).toBeCloseTo(0.05, 9);
    // 300 entities >= parallelism 30: every slot gets a shard, up to 30 x shardFactor 2 (chunkSize plays no part).
    expect(report.shards).toBe(60);
    expect(report.distributed.pods).toBe(30);
    expect(report.distributed.seconds).toBeCloseTo((300 / 30) * 0.05, 9);
    expect(report.distributed.cost).toBeUndefined();
  });

  it('estimates an empty estate without dividing by zero', async () => {
    const { source } = fakeSource(0, 0, { t: 0 });
    const report = await estimateRun(config, source, {});
    expect(report).toMatchObject({ entities: 0, shards: 0, secondsPerEntity: 0, speedup: 1 });
    expect(report.distributed.seconds).toBe(0);
  });

  it('prints the counts, shards, pods and both estimates', async () => {
    const { source } = fakeSource(10_000, 0, { t: 0 });
    const text = formatEstimate(
      await estimateRun(config, source, { secondsPerEntity: 2, podCostPerHour: 0.1 }),
      'pipeline.yaml',
    );
    expect(text).toContain('Entities:         10,000 (table 10,000)');
    expect(text).toContain('Shards:           60');
    expect(text).toContain('Pods:             30 at a time; 62 in all');
    expect(text).toMatch(/Time {6}11\.1min {15}5\.6h/);
    expect(text).toMatch(/Cost {6}\$0\.56 {17}\$0\.56/);
    expect(text).toContain('Speed-up: 30.0x');
  });
});
