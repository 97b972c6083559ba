import { formatShards } from './results.js';
import { formatPercent } from './summary.js';

/** A bad worker argument (`--results`, `--shard`): the message names the argument and what is expected. */
export class WorkerArgumentError extends Error {
  /** Printed as is by the CLI (src/cli/errors.ts). */
  readonly userFacing = true;
  constructor(message: string) {
    super(message);
    this.name = 'WorkerArgumentError';
  }
}

/** An under-threshold run: finalize prints the summary, then exits non-zero with this message. */
export class ThresholdError extends Error {
  readonly userFacing = true;
  constructor(successPercent: number, threshold: number) {
    super(
      `${formatPercent(successPercent)} of entities succeeded, under workflowConfig.successThreshold ` +
        `${threshold}%; see the failures above`,
    );
    this.name = 'ThresholdError';
  }
}

/** finalize without a usable result from every shard: the run fails and nothing is marked deleted. */
export class IncompleteRunError extends Error {
  readonly userFacing = true;
  constructor(missing: readonly number[], unreported: number) {
    super(
      `no usable result from ${formatShards(missing)} (${unreported} entities counted as failed); ` +
        'the run is incomplete, so it fails and nothing is marked deleted',
    );
    this.name = 'IncompleteRunError';
  }
}
