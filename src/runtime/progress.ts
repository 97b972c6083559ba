/**
 * Progress of a local run: a one-line bar redrawn in place on a terminal (entities done/total, rate,
 * ETA), plain lines every `intervalMs` otherwise (CI logs, files).
 */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressOptions {
  /** Where to draw. @default process.stderr */
  readonly stream?: ProgressStream;
  /** Clock in milliseconds; replaceable for tests. @default Date.now */
  readonly now?: () => number;
  /** Minimum time between two plain lines. @default 5000 */
  readonly intervalMs?: number;
  /** Minimum time between two redraws of the bar. @default 100 */
  readonly redrawMs?: number;
}

export interface ProgressReporter {
  /** Starts the clock; `total` undefined when the count is not known in advance. */
  start(total: number | undefined): void;
  /** One entity finished. */
  tick(ok: boolean): void;
  /** Draws the final state and ends the line. */
  finish(): void;
}

const BAR_WIDTH = 24;

export function createProgressReporter(options: ProgressOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const tty = stream.isTTY === true;
  const interval = tty ? (options.redrawMs ?? 100) : (options.intervalMs ?? 5000);
  let total: number | undefined;
  let done = 0;
  let failed = 0;
  let startedAt = 0;
  let lastDraw = 0;
  let started = false;

  const draw = (final: boolean) => {
    const line = formatProgress({ done, failed, total, elapsedMs: now() - startedAt }, tty);
    if (tty) stream.write(`\r${line}\x1b[K${final ? '\n' : ''}`);
    else stream.write(`${line}\n`);
    lastDraw = now();
  };

  return {
    start(count) {
      total = count;
      startedAt = now();
      lastDraw = startedAt;
      started = true;
      if (tty) draw(false);
    },
    tick(ok) {
      done++;
      if (!ok) failed++;
      if (started && now() - lastDraw >= interval) draw(false);
    },
    finish() {
      if (started) draw(true);
      started = false;
    },
  };
}

export interface ProgressState {
  readonly done: number;
  readonly failed: number;
  readonly total: number | undefined;
  readonly elapsedMs: number;
}

/** `[#####.....] 250/500 entities (50%), 2 failed, 125.0/s, ETA 2s` (bar on terminals only). */
export function formatProgress(state: ProgressState, withBar: boolean): string {
  const { done, failed, total, elapsedMs } = state;
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? done / seconds : 0;
  const parts: string[] = [];
  if (total !== undefined && total > 0) {
    const fraction = Math.min(1, done / total);
    const bar = withBar ? `[${'#'.repeat(Math.round(fraction * BAR_WIDTH)).padEnd(BAR_WIDTH, '.')}] ` : '';
    parts.push(`${bar}${done}/${total} entities (${Math.floor(fraction * 100)}%)`);
  } else {
    parts.push(`${done} entities`);
  }
  if (failed > 0) parts.push(`${failed} failed`);
  parts.push(`${rate.toFixed(1)}/s`);
  if (total !== undefined && rate > 0 && done < total)
    parts.push(`ETA ${formatDuration(((total - done) / rate) * 1000)}`);
  return (withBar ? '' : 'Progress: ') + parts.join(', ');
}

/** `850ms`, `12.3s`, `4m 05s`, `2h 03m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m ${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
