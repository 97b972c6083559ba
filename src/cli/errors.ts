/**
 * How the CLI turns errors into output: known errors (bad config, unreachable server, bad credentials)
 * print their message only, one line per problem, and exit non-zero; anything else is a bug and prints a
 * short hint, never a secret. A stack trace is printed only with ARGO_INGEST_DEBUG=1.
 */
import { ConfigError } from '../config/errors.js';
import { MissingVariablesError } from '../config/substitute.js';
import { SinkError } from '../sink/contract.js';
import { SourceError } from '../sources/contract.js';

/** An error whose message is meant for the user as is; `exitCode` defaults to 1. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Exit codes: 1 = the work failed or a server refused, 2 = the command line or config is wrong. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Errors whose message is written for the user (they name the file / field / server and the fix). */
export function isUserFacing(error: unknown): error is Error {
  return (
    error instanceof CliError ||
    error instanceof ConfigError ||
    error instanceof MissingVariablesError ||
    error instanceof SourceError ||
    error instanceof SinkError ||
    (error instanceof Error && (error as { userFacing?: boolean }).userFacing === true)
  );
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof ConfigError || error instanceof MissingVariablesError) return EXIT_USAGE;
  return EXIT_FAILURE;
}

/** Writes the error for a terminal and returns the exit code. */
export function reportError(error: unknown, write: (line: string) => void = (l) => process.stderr.write(l)): number {
  if (isUserFacing(error)) {
    // A CliError without a message only carries an exit code: its story was told already.
    if (error.message !== '') write(`error: ${error.message}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    write(`error: unexpected failure: ${message}\n`);
    write('This is a bug in argo-ingest; rerun with ARGO_INGEST_DEBUG=1 for a stack trace and report it.\n');
  }
  if (process.env.ARGO_INGEST_DEBUG === '1' && error instanceof Error && error.stack) write(`${error.stack}\n`);
  return exitCodeFor(error);
}
