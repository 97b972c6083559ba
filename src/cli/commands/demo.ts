/**
 * `argo-ingest demo` (`npm run demo`): an embedded PostgreSQL with a sample estate, ingested in LOCAL
 * mode into a JSON-lines file. No database or OpenMetadata server to install.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { runDemo } from '../../demo/run-demo.js';
import { serveInstructions, startDemoServer } from '../../demo/serve.js';
import { withCancellation } from '../../runtime/cancellation.js';
import { createLogger } from '../../util/logger.js';

interface DemoCliOptions {
  readonly output: string;
  readonly schemas: number;
  readonly tables: number;
  readonly parallelism: number;
  readonly serve?: boolean;
  readonly port: number;
}

export function register(program: Command): void {
  program
    .command('demo')
    .summary('ingest a sample estate from an embedded PostgreSQL into a JSON-lines file (nothing to install)')
    .description(
      'Start an embedded PostgreSQL (PGlite, in this process), fill it with a sample estate (tables of ' +
        'many column types, keys, comments, views, a materialized view, a partitioned and a foreign table ' +
        'per schema), and ingest it in LOCAL mode, with the same connector, runtime and sink code as ' +
        '`argo-ingest run`, into a JSON-lines file of OpenMetadata create requests. No database or ' +
        'OpenMetadata server is needed. The output file is replaced.',
    )
    .option('-o, --output <file>', 'JSON-lines file to write', 'demo-output.jsonl')
    .option('--schemas <n>', 'schemas in the sample estate', positiveInteger('--schemas'), 4)
    .option('--tables <n>', 'tables per schema; views and special tables come on top', positiveInteger('--tables'), 25)
    .option(
      '--parallelism <n>',
      'shards processed at once, as distributedExecution.parallelism',
      positiveInteger('--parallelism'),
      4,
    )
    .option(
      '--serve',
      'ingest nothing: keep the embedded PostgreSQL with the sample estate running (until Ctrl-C) for ' +
        '`run` or `emulate` to ingest from, and print the variables that point a config at it',
    )
    .option('--port <n>', 'with --serve: the port on 127.0.0.1 (0 picks a free one)', port, 0)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  argo-ingest demo\n' +
        '  argo-ingest demo --serve --port 54329   # then emulate against it, as it prints\n' +
        '  argo-ingest demo --schemas 8 --tables 100 --parallelism 8 -o /tmp/estate.jsonl\n' +
        "  jq -r '.kind' demo-output.jsonl | sort | uniq -c\n\n" +
        'Exit status: 0 done, 1 the demo failed, 2 a bad option.',
    )
    .action(async (options: DemoCliOptions) => {
      const { schemas, tables: tablesPerSchema, parallelism } = options;
      const logger = createLogger('INFO');
      if (options.serve) {
        await withCancellation(logger, async (signal) => {
          const server = await startDemoServer({ schemas, tablesPerSchema, port: options.port });
          try {
            process.stdout.write(serveInstructions(server));
            await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
          } finally {
            await server.close();
          }
        });
        return;
      }
      await withCancellation(logger, (signal) =>
        runDemo({ output: options.output, schemas, tablesPerSchema, parallelism, logger, signal }),
      );
    });
}

/** A parser for a whole number >= 1; a bad value is a usage error (exit 2) naming the option. */
function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
      throw new InvalidArgumentError(`${flag} must be a whole number of at least 1, not "${value}"`);
    }
    return n;
  };
}

/** A TCP port, 0 to 65535; a bad value is a usage error (exit 2). */
function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65_535) {
    throw new InvalidArgumentError(`--port must be a whole number from 0 to 65535, not "${value}"`);
  }
  return n;
}
