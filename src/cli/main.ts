#!/usr/bin/env node
/**
 * The argo-ingest command line. Each command lives in `commands/<name>.ts` and exports a
 * `register(program)` function; this file only wires them together and owns error handling.
 */
import { Command, CommanderError } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { reportError } from './errors.js';
import { VERSION } from './version.js';

type Register = (program: Command) => void;

/** Command modules, in the order `--help` lists them. Add a command by adding its module here. */
const COMMANDS: readonly (() => Promise<{ register: Register }>)[] = [
  () => import('./commands/validate.js'),
  () => import('./commands/synth.js'),
  () => import('./commands/run.js'),
  () => import('./commands/plan.js'),
  () => import('./commands/emulate.js'),
  () => import('./commands/worker.js'),
  () => import('./commands/demo.js'),
];

export async function buildProgram(): Promise<Command> {
  const program = new Command('argo-ingest')
    .description('Turn OpenMetadata ingestion configs into sharded Argo Workflows, and run the same ingestion locally.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false })
    .exitOverride();
  for (const load of COMMANDS) (await load()).register(program);
  return program;
}

/** Runs the CLI with `argv` (node + script + args); resolves to the process exit code. */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  let program: Command;
  try {
    program = await buildProgram();
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed the message (or the help / version).
      return error.exitCode === 0 ? 0 : 2;
    }
    return reportError(error);
  }
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main().then((code) => {
    process.exitCode = code;
  });
}
