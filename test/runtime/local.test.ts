import { describe, expect, it } from 'vitest';
import { runLocal } from '../../src/runtime/local.js';
import { createProgressReporter } from '../../src/runtime/progress.js';
import { runInProcess } from '../../src/runtime/run.js';
import { formatSummary } from '../../src/runtime/summary.js';
import {
  FakeSource,
  MemorySink,
  TEST_ENV,
  estate,
  recordingLogger,
  recordingSleep,
  testConfig,
} from './support/fakes.js';

const silentProgress = () => createProgressReporter({ stream: { write: () => true } });

describe('local orchestrator', () => {
  it('runs discover, every shard and finalize in LOCAL mode with parallelism shards at once', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fqns = estate(4, 50);
    // Hold every batch until 3 are in flight: proves that shards run concurrently, up to parallelism.
    let waiting = 0;
    const source = new FakeSource(fqns, new Map(), async () => {
      if (++waiting >= 3) release();
      await gate;
    });
    const sink = new MemorySink();
    const logger = recordingLogger();
    const report = await runLocal(
      { config: testConfig({ parallelism: 3, chunkSize: 10, shardFactor: 2 }), source, sink, logger },
      { mode: 'local', progress: silentProgress() },
    );
    expect(logger.lines).toContain('INFO Executing workflow in LOCAL mode');
    expect(source.maxInFlight).toBe(3);
    expect(report.totals).toMatchObject({ discovered: 200, succeeded: 200, failed: 0, created: 200, shards: 6 });
    expect(sink.live()).toEqual(fqns.slice().sort());
    expect(report.passed).toBe(true);
  });

  it('runs SEQUENTIAL mode as one shard, one batch at a time', async () => {
    const source = new FakeSource(estate(3, 30));
    const logger = recordingLogger();
    const report = await runLocal(
      { config: testConfig({ enabled: false, parallelism: 8 }), source, sink: new MemorySink(), logger },
      { mode: 'sequential', progress: silentProgress() },
    );
    expect(logger.lines).toContain('INFO Executing workflow in SEQUENTIAL mode');
    expect(report.totals).toMatchObject({ shards: 1, succeeded: 90 });
    expect(source.maxInFlight).toBe(1);
    // Listed once by discover; the shard and finalize's mark-deleted replay that listing.
    expect(source.discoverCalls).toBe(1);
  });

  it('lists the estate once in LOCAL mode, and once per shard when the listing is over the cache cap', async () => {
    const config = testConfig({ parallelism: 2, chunkSize: 10, shardFactor: 2 });
    const cached = new FakeSource(estate(2, 30));
    const cachedReport = await runLocal(
      { config, source: cached, sink: new MemorySink(), logger: recordingLogger() },
      { mode: 'local', progress: silentProgress() },
    );
    expect(cachedReport.totals).toMatchObject({ shards: 4, succeeded: 60, failed: 0 });
    expect(cached.discoverCalls).toBe(1);

    const uncachedSink = new MemorySink();
    const uncached = new FakeSource(estate(2, 30));
    const uncachedReport = await runLocal(
      { config, source: uncached, sink: uncachedSink, logger: recordingLogger() },
      { mode: 'local', progress: silentProgress(), listingCacheEntities: 59 },
    );
    expect(uncachedReport.totals).toMatchObject({ shards: 4, succeeded: 60, failed: 0 });
    expect(uncached.discoverCalls).toBe(1 + 4 + 1); // discover, each shard, finalize
    expect(uncachedSink.live()).toEqual(estate(2, 30).sort());
  });

  it('keeps the other shards going when one cannot run, and reports it', async () => {
    const fqns = estate(2, 40);
    const source = new FakeSource(fqns);
    const original = source.process.bind(source);
    source.process = async (batch) => {
      if (batch.some((b) => b.fqn === fqns[5])) throw new Error('could not connect to server');
      return original(batch);
    };
    const sleeper = recordingSleep();
    const sink = new MemorySink();
    const report = await runLocal(
      {
        config: testConfig({ parallelism: 2, chunkSize: 10, successThreshold: 50 }),
        source,
        sink,
        logger: recordingLogger(),
        sleep: sleeper.sleep,
      },
      { mode: 'local', progress: silentProgress() },
    );
    expect(report.shardErrors).toHaveLength(1);
    expect(report.shardErrors[0]!.error).toBe('could not connect to server');
    // Retried as Argo retries the pod (maxAttempts 3, backoff 1 s then 2 s), then counted honestly: what
    // its last attempt wrote as succeeded, the entities it never reached as failed.
    expect(sleeper.delays.filter((d) => d >= 1000)).toEqual([1000, 2000]);
    expect(report.totals.missingShards).toEqual([]);
    expect(report.totals.succeeded + report.totals.failed).toBe(80);
    expect(report.totals.succeeded).toBe(sink.live().length);
    expect(report.totals.failures.some((f) => /shard \d+ stopped: could not connect to server/.test(f.error))).toBe(
      true,
    );
    expect(report.markDeleted?.reason).toMatch(/failed in this run, so nothing is marked deleted/);
  });

  it('retries a failed shard with the pod-level policy, as Argo would, and counts what OpenMetadata received', async () => {
    const fqns = estate(2, 40);
    const source = new FakeSource(fqns);
    const original = source.process.bind(source);
    let outages = 2;
    source.process = async (batch) => {
      // A short outage: the batch holding fqns[25] fails twice (two whole shard attempts), then works.
      if (batch.some((b) => b.fqn === fqns[25]) && outages-- > 0) throw new Error('connection reset');
      return original(batch);
    };
    const sink = new MemorySink();
    const logger = recordingLogger();
    const report = await runLocal(
      { config: testConfig({ parallelism: 2, chunkSize: 5 }), source, sink, logger, sleep: recordingSleep().sleep },
      { mode: 'local', progress: silentProgress() },
    );
    expect(report.shardErrors).toEqual([]);
    expect(report.totals).toMatchObject({ discovered: 80, succeeded: 80, failed: 0 });
    expect(sink.live()).toHaveLength(80);
    expect(logger.text()).toMatch(/Shard \d+ failed \(attempt 1 of 3\): connection reset; retrying in 1000 ms/);
    expect(logger.text()).toMatch(/Shard \d+ failed \(attempt 2 of 3\): connection reset; retrying in 2000 ms/);
  });

  it('prints a summary with found, succeeded, failed reasons, created/updated and time', async () => {
    const fqns = estate(1, 20);
    const out: string[] = [];
    const source = new FakeSource(fqns, new Map([[fqns[3]!, { error: 'column type unknown', retryable: false }]]));
    await runInProcess(testConfig(), {
      mode: 'local',
      logger: recordingLogger(),
      progress: silentProgress(),
      write: (t) => out.push(t),
      open: async () => ({ source, sink: new MemorySink(), close: async () => {} }),
    });
    const summary = out.join('');
    expect(summary).toContain('Ingestion summary (LOCAL mode)');
    expect(summary).toMatch(/Entities found: +20/);
    expect(summary).toMatch(/Succeeded: +19 \(95%\)/);
    expect(summary).toMatch(/Failed: +1\n +- svc\.db\.s0\.t3: column type unknown/);
    expect(summary).toMatch(/Created: +19/);
    expect(summary).toMatch(/Time taken: +\d/);
    expect(summary).toContain('Marked deleted:  none: 1 entity failed in this run');
  });

  it('throws after the summary when the success rate is under the threshold', async () => {
    const fqns = estate(1, 10);
    const out: string[] = [];
    const source = new FakeSource(fqns, new Map(fqns.slice(0, 5).map((f) => [f, { error: 'x', retryable: false }])));
    await expect(
      runInProcess(testConfig({ successThreshold: 60 }), {
        mode: 'sequential',
        logger: recordingLogger(),
        progress: silentProgress(),
        write: (t) => out.push(t),
        open: async () => ({ source, sink: new MemorySink(), close: async () => {} }),
      }),
    ).rejects.toThrow('50% of entities succeeded, under workflowConfig.successThreshold 60%');
    expect(out.join('')).toContain('FAILED: 50% of entities succeeded');
  });

  it('never writes a secret into the logs or the summary', async () => {
    const logger = recordingLogger();
    const out: string[] = [];
    const fqns = estate(1, 5);
    await runInProcess(testConfig(), {
      mode: 'local',
      logger,
      progress: silentProgress(),
      write: (t) => out.push(t),
      open: async () => ({
        source: new FakeSource(fqns, new Map([[fqns[0]!, { error: 'boom', retryable: false }]])),
        sink: new MemorySink(),
        close: async () => {},
      }),
    }).catch(() => undefined);
    const everything = logger.text() + out.join('');
    for (const secret of Object.values(TEST_ENV)) expect(everything).not.toContain(secret);
    expect(everything.length).toBeGreaterThan(0);
  });
});

describe('summary', () => {
  it('says how many more failures there are than it lists', () => {
    const text = formatSummary({
      mode: 'LOCAL',
      shardErrors: [],
      threshold: 90,
      passed: false,
      totals: {
        rejected: [],
        discovered: 10,
        total: 10,
        succeeded: 3,
        failed: 7,
        created: 3,
        updated: 0,
        failures: [1, 2, 3, 4, 5].map((i) => ({ fqn: `t${i}`, error: 'e' })),
        missingShards: [],
        unreported: 0,
        successPercent: 30,
      },
    });
    expect(text).toContain('... and 2 more (see the log)');
    expect(text).toContain('FAILED: 30% of entities succeeded, under successThreshold 90%');
  });
});
