/**
 * Ctrl-C / SIGTERM for long-running commands: the first signal aborts the run (connections close,
 * retries stop waiting); a second one exits at once.
 */
import type { Logger } from '../util/logger.js';

export async function withCancellation<T>(logger: Logger, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    logger.warn(`${name} received: stopping (send it again to exit at once)`);
    controller.abort(Object.assign(new Error(`cancelled by ${name}`), { userFacing: true }));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
