import { describe, expect, it } from 'vitest';
import { createProgressReporter, formatDuration, formatProgress } from '../../src/runtime/progress.js';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('progress', () => {
  it('draws a bar in place on a terminal: done/total, percent, rate and ETA', () => {
    const writes: string[] = [];
    const c = clock();
    const progress = createProgressReporter({ stream: { write: (t) => writes.push(t), isTTY: true }, now: c.now });
    progress.start(200);
    for (let i = 0; i < 50; i++) {
      c.advance(40);
      progress.tick(i !== 7);
    }
    progress.finish();
    const last = writes.at(-1)!;
    expect(writes.every((w) => w.startsWith('\r'))).toBe(true);
    expect(last).toContain('[######..................] 50/200 entities (25%), 1 failed, 25.0/s, ETA 6.0s');
    expect(last.endsWith('\n')).toBe(true);
  });

  it('prints plain lines at most every interval when not on a terminal', () => {
    const writes: string[] = [];
    const c = clock();
    const progress = createProgressReporter({ stream: { write: (t) => writes.push(t) }, now: c.now, intervalMs: 5000 });
    progress.start(1000);
    for (let i = 0; i < 1000; i++) {
      c.advance(20);
      progress.tick(true);
    }
    progress.finish();
    // 20 s of work: a line every 5 s, plus the final one; no carriage returns or escape codes.
    expect(writes).toHaveLength(5);
    expect(writes.join('')).not.toMatch(/[\r\x1b]/);
    expect(writes[0]).toBe('Progress: 250/1000 entities (25%), 50.0/s, ETA 15.0s\n');
    expect(writes.at(-1)).toBe('Progress: 1000/1000 entities (100%), 50.0/s\n');
  });

  it('counts without a total when the source cannot say in advance', () => {
    expect(formatProgress({ done: 12, failed: 0, total: undefined, elapsedMs: 4000 }, false)).toBe(
      'Progress: 12 entities, 3.0/s',
    );
  });

  it('formats durations for people', () => {
    expect([850, 12_340, 245_000, 7_380_000].map(formatDuration)).toEqual(['850ms', '12.3s', '4m 05s', '2h 03m']);
  });
});
