/** The runtime: worker steps, the local orchestrator, and what they share. */
export { discover, ensureParents, countEntities, type DiscoverResult } from './discover.js';
export { processShard, batches, type ProcessOptions } from './process.js';
export { finalize, markDeletedBlocker, type FinalizeReport, type FinalizeContext } from './finalize.js';
export { markDeletedEntities, markDeletedKind, type MarkDeletedOutcome } from './mark-deleted.js';
export { aggregate, parseShardResults, type RunTotals } from './results.js';
export { runLocal, MODE_MESSAGES, type LocalMode } from './local.js';
export { runInProcess, inProcessMode } from './run.js';
export { runWorkerStep, type WorkerInvocation } from './worker.js';
export { shardOf, fnv1a32, chooseShardCount } from './shards.js';
export { createProgressReporter, formatProgress, formatDuration } from './progress.js';
export { formatSummary, type RunReport } from './summary.js';
export { ThresholdError, WorkerArgumentError } from './errors.js';
export type { RuntimeContext } from './context.js';
