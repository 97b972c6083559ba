/**
 * Cancellation: SIGTERM / SIGINT while a run is marking entities deleted. The signal goes through the
 * real handlers withCancellation installs (process.emit delivers it to them as the OS would, without
 * stopping the test process); the run must start no delete after it, print `Result: cancelled` and fail.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withCancellation } from '../../src/runtime/cancellation.js';
import { CancelledError } from '../../src/runtime/errors.js';
import { createProgressReporter } from '../../src/runtime/progress.js';
import { outputPath } from '../../src/runtime/outputs.js';
import { runInProcess } from '../../src/runtime/run.js';
import { runWorkerStep } from '../../src/runtime/worker.js';
import type { Sink } from '../../src/sink/contract.js';
import { FakeSource, MemorySink, TEST_ENV, configYaml, estate, recordingLogger, testConfig } from './support/fakes.js';

const silentProgress = () => createProgressReporter({ stream: { write: () => true } });

/** A sink whose first soft delete raises `signal` in this process (the delete itself completes). */
function signallingSink(signal: NodeJS.Signals): MemorySink {
  const sink = new MemorySink();
  const softDelete = sink.softDelete!;
  let sent = false;
  const wrapped: Sink['softDelete'] = async (kind, id) => {
    await softDelete(kind, id);
    if (!sent) {
      sent = true;
      process.emit(signal, signal);
    }
  };
  sink.softDelete = wrapped;
  return sink;
}

describe('a signal during mark-deleted', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: no delete starts after it, the summary says cancelled, and the run fails`, async () => {
      const before = estate(2, 10);
      const sink = signallingSink(signal);
      for (const fqn of before) await sink.upsert({ kind: 'table', fqn, body: {} });
      // Four tables of the first schema are gone from the source: four deletes are due.
      const after = before.filter((f) => !['t0', 't1', 't2', 't3'].some((t) => f === `svc.db.s0.${t}`));
      const out: string[] = [];
      const logger = recordingLogger();
      const run = withCancellation(logger, (abort) =>
        runInProcess(testConfig({ maxDeletedFraction: 1 }), {
          mode: 'local',
          logger,
          signal: abort,
          progress: silentProgress(),
          write: (t) => out.push(t),
          open: async () => ({ source: new FakeSource(after), sink, close: async () => {} }),
        }),
      );
      await expect(run).rejects.toBeInstanceOf(CancelledError);
      expect(sink.deletedIds).toHaveLength(1);
      const summary = out.join('');
      expect(summary).toMatch(/Result: +cancelled/);
      expect(summary).toMatch(/cancelled after 1 of 4 tables were marked deleted/);
      expect(logger.text()).toContain(`${signal} received: stopping`);
    });
  }
});

describe('a signal while shards run', () => {
  it('stops the shards, prints the summary with Result: cancelled, and deletes nothing', async () => {
    const before = estate(2, 40);
    const sink = new MemorySink();
    for (const fqn of before) await sink.upsert({ kind: 'table', fqn, body: {} });
    let calls = 0;
    const source = new FakeSource(before.slice(1), new Map(), async () => {
      if (++calls === 3) process.emit('SIGTERM', 'SIGTERM');
    });
    const out: string[] = [];
    const logger = recordingLogger();
    await expect(
      withCancellation(logger, (abort) =>
        runInProcess(testConfig({ maxDeletedFraction: 1, chunkSize: 5, parallelism: 2 }), {
          mode: 'local',
          logger,
          signal: abort,
          progress: silentProgress(),
          write: (t) => out.push(t),
          open: async () => ({ source, sink, close: async () => {} }),
        }),
      ),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(sink.deletedIds).toEqual([]);
    expect(calls).toBeLessThan(16);
    expect(out.join('')).toMatch(/Result: +cancelled/);
  });
});

describe('cancellation in the worker steps', () => {
  it('finalize: no delete after the signal, Result: cancelled, and a non-zero outcome', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cancel-worker-'));
    try {
      const configFile = join(dir, 'config.yaml');
      await writeFile(configFile, configYaml({ maxDeletedFraction: 1 }));
      const before = estate(1, 10);
      const controller = new AbortController();
      const sink = new MemorySink();
      for (const fqn of before) await sink.upsert({ kind: 'table', fqn, body: {} });
      const softDelete = sink.softDelete!;
      sink.softDelete = async (kind, id) => {
        await softDelete(kind, id);
        controller.abort(new Error('cancelled by SIGTERM'));
      };
      const after = before.slice(3);
      const out: string[] = [];
      const result = {
        shard: 0,
        shards: 1,
        entities: 7,
        succeeded: 7,
        failed: 0,
        created: 0,
        updated: 7,
        failures: [],
        durationMs: 1,
      };
      await expect(
        runWorkerStep(
          { step: 'finalize', config: configFile, results: { json: JSON.stringify([result]) }, entities: 7 },
          {
            env: { ...TEST_ENV },
            logger: recordingLogger(),
            signal: controller.signal,
            write: (t) => out.push(t),
            open: async () => ({ source: new FakeSource(after), sink, close: async () => {} }),
          },
        ),
      ).rejects.toBeInstanceOf(CancelledError);
      expect(sink.deletedIds).toHaveLength(1);
      expect(out.join('')).toMatch(/Result: +cancelled/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('process: a shard cancelled during its last batch writes no result (Argo must not read it as done)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cancel-worker-'));
    try {
      const configFile = join(dir, 'config.yaml');
      await writeFile(configFile, configYaml({ chunkSize: 5 }));
      const controller = new AbortController();
      // The signal arrives during the last of the four batches.
      let calls = 0;
      const source = new FakeSource(estate(1, 20), new Map(), async () => {
        if (++calls === 4) controller.abort(new Error('cancelled by SIGTERM'));
      });
      const outputDir = join(dir, 'out');
      await expect(
        runWorkerStep(
          { step: 'process', config: configFile, shard: 0, shards: 1, outputDir },
          {
            env: { ...TEST_ENV },
            logger: recordingLogger(),
            signal: controller.signal,
            open: async () => ({ source, sink: new MemorySink(), close: async () => {} }),
          },
        ),
      ).rejects.toThrow('cancelled by SIGTERM');
      expect(existsSync(outputPath(outputDir, 'result'))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
