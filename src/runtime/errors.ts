import { formatPercent, formatShards } from './format.js';

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

/** A run stopped by SIGTERM / SIGINT: never reported as a success, whatever was done before the signal. */
export class CancelledError extends Error {
  readonly userFacing = true;
  constructor() {
    super('the run was cancelled (SIGTERM or SIGINT) before it completed; see the summary above');
    this.name = 'CancelledError';
  }
}

/** A database or schema in scope that could not be listed, without distributedExecution.allowIncompleteListing. */
export class IncompleteListingError extends Error {
  readonly userFacing = true;
  constructor(containers: readonly string[]) {
    super(
      `could not list ${containers.join(', ')} although OpenMetadata holds entities under ${containers.length === 1 ? 'it' : 'them'} ` +
        '(nothing of it was marked deleted); fix the connection or privileges, narrow the filters, or set ' +
        'workflowConfig.distributedExecution.allowIncompleteListing: true to accept partial runs',
    );
    this.name = 'IncompleteListingError';
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
