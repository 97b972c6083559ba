/**
 * `argo-ingest run` for the in-process modes: open the source and sink, run the local orchestrator
 * (LOCAL or SEQUENTIAL), print the summary, and fail when the success rate is under the threshold.
 */
import { executionMode } from '../config/distributed.js';
import type { IngestionConfig } from '../config/schema.js';
import { runFailure } from './finalize.js';
import { runLocal, type LocalMode } from './local.js';
import type { Logger } from '../util/logger.js';
import { openRuntime, type Opener } from './open.js';
import type { ProgressReporter } from './progress.js';
import { formatSummary, type RunReport } from './summary.js';

export interface RunInProcessOptions {
  readonly mode: LocalMode;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** @default openRuntime */
  readonly open?: Opener;
  /** Where the summary goes. @default process.stdout */
  readonly write?: (text: string) => void;
  /** @default a bar on a terminal, plain lines otherwise */
  readonly progress?: ProgressReporter;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The clock of the circuit breaker (tests). @default Date.now */
  readonly now?: () => number;
}

/** Modes by config: distributed execution off -> sequential; `orchestrator: local` -> local. */
export function inProcessMode(config: IngestionConfig): LocalMode | undefined {
  const mode = executionMode(config.workflowConfig.distributedExecution);
  return mode === 'argo' ? undefined : mode;
}

/** Runs the whole ingestion in this process; resolves to the report, throws ThresholdError when under. */
export async function runInProcess(config: IngestionConfig, options: RunInProcessOptions): Promise<RunReport> {
  const dist = config.workflowConfig.distributedExecution;
  const open = options.open ?? openRuntime;
  const opened = await open(config, {
    logger: options.logger,
    signal: options.signal,
    concurrency: options.mode === 'local' ? dist.parallelism : 1,
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  let report: RunReport;
  try {
    report = await runLocal(
      {
        config,
        source: opened.source,
        sink: opened.sink,
        logger: options.logger,
        signal: options.signal,
        sleep: options.sleep,
      },
      { mode: options.mode, progress: options.progress },
    );
  } finally {
    await opened.close();
  }
  (options.write ?? ((t) => process.stdout.write(t)))(formatSummary(report));
  const failure = runFailure(report);
  if (failure) throw failure;
  return report;
}
