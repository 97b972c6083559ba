/**
 * The run-wide circuit breaker: a server down for everyone fails the run with one sentence instead of
 * retrying every entity with the full retryPolicy. Time is virtual (an injected clock and sleep), so the
 * default 60 s backoff is tested as is, without waiting and without flaky timing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText, resolveConfig } from '../../src/config/load.js';
import { CircuitBreaker, CircuitOpenError } from '../../src/runtime/circuit-breaker.js';
import { openerWith } from '../../src/runtime/open.js';
import { createProgressReporter } from '../../src/runtime/progress.js';
import { runInProcess } from '../../src/runtime/run.js';
import { FakeSource, TEST_ENV, configYaml, estate, recordingLogger } from './support/fakes.js';

/** A clock that only moves when someone sleeps; sleeps end at once, in call order (unit tests). */
function virtualTime() {
  const clock = { t: 0 };
  return {
    clock,
    now: () => clock.t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      clock.t += ms;
      await Promise.resolve();
    },
  };
}

/**
 * A discrete-event clock for a run with real I/O: sleeps wait in a queue, and the clock jumps to the
 * earliest one only once nothing else has happened for a while (no new sleep, no new HTTP request in
 * `quietMs` of real time), so concurrent waits overlap as they would in real time.
 */
function eventClock(activity: () => number, quietMs = 30) {
  let t = 0;
  const timers: { at: number; seq: number; resolve: () => void }[] = [];
  let seq = 0;
  let lastSeen = -1;
  let driving = false;
  const drive = () => {
    if (driving) return;
    driving = true;
    const check = () => {
      const seen = activity() + seq;
      if (seen !== lastSeen || timers.length === 0) {
        lastSeen = seen;
        if (timers.length === 0) {
          driving = false;
          return;
        }
        setTimeout(check, quietMs);
        return;
      }
      timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = timers.shift()!;
      t = Math.max(t, next.at);
      next.resolve();
      lastSeen = -1;
      setTimeout(check, quietMs);
    };
    setTimeout(check, quietMs);
  };
  return {
    now: () => t,
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        signal?.throwIfAborted();
        const timer = { at: t + ms, seq: ++seq, resolve };
        timers.push(timer);
        signal?.addEventListener('abort', () => {
          const i = timers.indexOf(timer);
          if (i >= 0) timers.splice(i, 1);
          reject(signal.reason);
        });
        drive();
      }),
  };
}

/** A breaker on virtual time whose health checks `probe` answers; default thresholds unless given. */
function breakerOn(
  time: ReturnType<typeof virtualTime>,
  probe: () => Promise<string | undefined>,
  options: { readonly server?: string; readonly maxConsecutive?: number } = {},
): CircuitBreaker {
  return new CircuitBreaker({
    server: options.server ?? 'OpenMetadata',
    probe,
    logger: recordingLogger(),
    sleep: time.sleep,
    now: time.now,
    ...(options.maxConsecutive !== undefined ? { maxConsecutive: options.maxConsecutive } : {}),
  });
}

describe('CircuitBreaker', () => {
  it('trips after maxConsecutive failures, pauses, probes, and opens when the probe fails', async () => {
    const time = virtualTime();
    const probes: number[] = [];
    const breaker = breakerOn(
      time,
      async () => {
        probes.push(time.now());
        return 'HTTP 500';
      },
      { server: 'OpenMetadata at http://om/api', maxConsecutive: 5 },
    );
    for (let i = 0; i < 4; i++) breaker.afterRequest('HTTP 500 for table t');
    await breaker.beforeRequest(); // four failures: still closed
    breaker.afterRequest('HTTP 500 for table t');
    await expect(breaker.beforeRequest()).rejects.toBeInstanceOf(CircuitOpenError);
    expect(probes).toEqual([15_000]);
    expect(breaker.error?.message).toBe(
      'OpenMetadata at http://om/api failed 5 requests in a row over 15 s (last: HTTP 500 for table t) and a ' +
        'health check after a 15 s pause failed too (HTTP 500); stopping the run instead of retrying every entity. ' +
        'Check the server (its logs, its database and search backends) and run again.',
    );
    await expect(breaker.sleep(60_000)).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it('never trips while successes keep arriving (a 20% fault rate)', async () => {
    const time = virtualTime();
    const breaker = breakerOn(time, async () => 'HTTP 500');
    let seed = 7;
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      breaker.afterRequest(seed / 2 ** 31 < 0.2 ? 'HTTP 503' : undefined);
      time.clock.t += 10;
      await breaker.beforeRequest();
    }
    expect(breaker.error).toBeUndefined();
  });

  it('resumes after a healthy probe, and opens without another probe if it trips again with no success', async () => {
    const time = virtualTime();
    let probes = 0;
    const breaker = breakerOn(
      time,
      async () => {
        probes++;
        return undefined;
      },
      { maxConsecutive: 3 },
    );
    for (let i = 0; i < 3; i++) breaker.afterRequest('HTTP 502');
    await breaker.beforeRequest();
    expect(breaker.error).toBeUndefined();
    for (let i = 0; i < 3; i++) breaker.afterRequest('HTTP 502');
    await expect(breaker.beforeRequest()).rejects.toThrow(/and again after a health check had passed/);
    expect(probes).toBe(1);
  });

  it('trips on a sustained outage of few, slow failures (at least two, outageMs apart)', async () => {
    const time = virtualTime();
    const breaker = breakerOn(time, async () => 'HTTP 500');
    breaker.afterRequest('HTTP 500');
    time.clock.t += 60_000;
    breaker.afterRequest('HTTP 500');
    await expect(breaker.beforeRequest()).rejects.toBeInstanceOf(CircuitOpenError);
  });
});

describe('a server that answers 500 to everything', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('fails the run within 2 minutes at the default retry policy, with one sentence and few requests', async () => {
    const requests: string[] = [];
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 500, message: 'internal error' }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    // The default retryPolicy (3 attempts, 60 s backoff, factor 2): the test config's short one removed.
    const text = configYaml()
      .replace(/ {4}retryPolicy:\n( {6}.*\n)+/, '')
      .replace('http://localhost:8585/api', `http://127.0.0.1:${port}/api`);
    const config = resolveConfig(parseConfigText(text, 'all-500.yaml'), TEST_ENV);
    expect(config.workflowConfig.distributedExecution.retryPolicy.backoffSeconds).toBe(60);
    const time = eventClock(() => requests.length);
    const logger = recordingLogger();
    const out: string[] = [];
    const run = runInProcess(config, {
      mode: 'local',
      logger,
      sleep: time.sleep,
      now: time.now,
      write: (t) => out.push(t),
      progress: createProgressReporter({ stream: { write: () => true } }),
      open: openerWith(() => new FakeSource(estate(3, 50))),
    });
    await expect(run).rejects.toBeInstanceOf(CircuitOpenError);
    await expect(run).rejects.toThrow(
      new RegExp(
        `^OpenMetadata at http://127\\.0\\.0\\.1:${port}/api failed 2 requests in a row over 75 s \\(last: HTTP 500 for the version check\\) ` +
          'and a health check after a 15 s pause failed too \\(HTTP 500\\); stopping the run',
      ),
    );
    expect(time.now()).toBeLessThan(120_000);
    expect(requests.length).toBeLessThanOrEqual(4);
  });
});
