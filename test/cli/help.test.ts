/**
 * `--help` teaches: every command has a description, its options with their defaults, and examples; and
 * the usage errors it leads to are exit 2 with a sentence naming the option.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { runCli } from '../support/cli.js';

/** Every command below the root, as its argv path (`['worker', 'process']`), with the command itself. */
function commandsOf(command: Command, path: string[] = []): { path: string[]; command: Command }[] {
  return command.commands
    .filter((c) => c.name() !== 'help')
    .flatMap((c) => [{ path: [...path, c.name()], command: c }, ...commandsOf(c, [...path, c.name()])]);
}

const program = await buildProgram();
const commands = commandsOf(program);

describe('argo-ingest --help', () => {
  it('covers the commands the README lists', () => {
    expect(commands.map((c) => c.path.join(' '))).toEqual([
      'validate',
      'synth',
      'run',
      'plan',
      'emulate',
      'worker',
      'worker discover',
      'worker process',
      'worker finalize',
      'demo',
    ]);
  });

  it.each(commands.map((c) => [c.path.join(' '), c.path] as const))(
    '%s --help describes the command, its options and examples',
    async (_name, path) => {
      const { code, stdout } = await runCli([...path, '--help']);
      expect(code).toBe(0);
      const description = stdout.split('\n\n')[1] ?? '';
      expect(description.length).toBeGreaterThan(60);
      expect(stdout).toContain('-h, --help');
      if (path[0] === 'worker')
        expect(stdout).toMatch(/argo-ingest worker (discover|process|finalize)|--config <file>/);
      else expect(stdout).toMatch(/\nExamples:\n( {2}.*\n)* {2}argo-ingest /);
    },
  );

  it.each(commands.map((c) => [c.path.join(' '), c.command] as const))(
    '%s: a line broken by hand stays under 80 columns, so commander does not re-wrap it into orphans',
    (_name, command) => {
      const lines = command.description().split('\n');
      expect(lines[0]).not.toBe('');
      // A line followed by another non-empty line was broken by hand (a table, or a sentence split
      // by hand); a paragraph's last line may be long, commander wraps it whole.
      const brokenByHand = lines.filter((line, i) => (lines[i + 1] ?? '') !== '');
      for (const line of brokenByHand) expect(line.length, line).toBeLessThan(80);
    },
  );

  it('shows the numeric defaults of demo as numbers', async () => {
    const { stdout } = await runCli(['demo', '--help']);
    expect(stdout).toMatch(/--schemas <n> +schemas in the sample estate \(default: 4\)/);
    expect(stdout).toMatch(/\(default: 25\)/);
  });
});

describe('usage errors', () => {
  it('refuses an invalid --namespace for synth with exit 2, naming the option, and writes nothing', async () => {
    const { code, stdout, stderr } = await runCli([
      'synth',
      '-c',
      'examples/postgres-distributed.yaml',
      '-n',
      'Team_A',
      '--stdout',
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("option '-n, --namespace <namespace>' argument 'Team_A' is invalid");
    expect(stderr).toContain('lower-case letters, digits and "-"');
  });

  it('says what worker finalize is missing when neither --results-file nor --results is given', async () => {
    const { code, stderr } = await runCli(['worker', 'finalize', '--config', 'x.yaml', '--entities', '3']);
    expect(code).toBe(2);
    expect(stderr).toBe('error: worker finalize needs exactly one of --results-file FILE or --results JSON\n');
  });
});
