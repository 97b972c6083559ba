/**
 * Cancellation: SIGTERM / SIGINT while a run is marking entities deleted. The signal goes through the
 * real handlers withCancellation installs (process.emit delivers it to them as the OS would, without
 * stopping the test process); the run must start no delete after it, print `Result: cancelled` and fail.
 */
import { describe, expect, it } from 'vitest';
import { withCancellation } from '../../src/runtime/cancellation.js';
import { CancelledError } from '../../src/runtime/errors.js';
import { createProgressReporter } from '../../src/runtime/progress.js';
import { runInProcess } from '../../src/runtime/run.js';
import type { Sink } from '../../src/sink/contract.js';
import { FakeSource, MemorySink, estate, recordingLogger, testConfig } from './support/fakes.js';

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
