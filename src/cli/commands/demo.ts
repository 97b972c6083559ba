/**
 * `argo-ingest demo` (`npm run demo`): an embedded PostgreSQL with a sample estate, ingested in LOCAL
 * mode into a JSON-lines file. No database or OpenMetadata server to install.
 */
import type { Command } from 'commander';
import { runDemo } from '../../demo/run-demo.js';
import { withCancellation } from '../../runtime/cancellation.js';
import { createLogger } from '../../runtime/logger.js';
import { CliError, EXIT_USAGE } from '../errors.js';

interface DemoCliOptions {
  readonly output: string;
  readonly schemas: string;
  readonly tables: string;
  readonly parallelism: string;
}

export function register(program: Command): void {
  program
    .command('demo')
    .summary('ingest a sample estate from an embedded PostgreSQL into a JSON-lines file (nothing to install)')
    .description(
      'Start an embedded PostgreSQL (PGlite), fill it with a sample estate (tables of many column types, keys,\n' +
        'comments, views, a materialized view, a partitioned and a foreign table per schema), and ingest it in\n' +
        'LOCAL mode into the file sink. The output file is replaced.',
    )
    .option('-o, --output <file>', 'JSON-lines file to write', 'demo-output.jsonl')
    .option('--schemas <n>', 'schemas in the sample estate', '4')
    .option('--tables <n>', 'tables per schema', '25')
    .option('--parallelism <n>', 'shards processed at once (distributedExecution.parallelism)', '4')
    .action(async (options: DemoCliOptions) => {
      const schemas = positiveInteger('--schemas', options.schemas);
      const tablesPerSchema = positiveInteger('--tables', options.tables);
      const parallelism = positiveInteger('--parallelism', options.parallelism);
      const logger = createLogger('INFO');
      await withCancellation(logger, (signal) =>
        runDemo({ output: options.output, schemas, tablesPerSchema, parallelism, logger, signal }),
      );
    });
}

function positiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new CliError(`${flag} must be a whole number of at least 1, not "${value}"`, EXIT_USAGE);
  }
  return n;
}
