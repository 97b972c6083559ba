/**
 * `argo-ingest validate -c FILE`: checks a config without connecting anywhere and prints what will run.
 * Exit 0 when valid, 2 with one line per problem when not.
 */
import type { Command } from 'commander';
import { loadConfigFile } from '../../config/load.js';
import { describeConfig, formatConfigDescription } from '../describe.js';
import { CliError, EXIT_USAGE } from '../errors.js';

interface ValidateOptions {
  readonly config: string;
  readonly output: 'text' | 'json';
}

export function register(program: Command): void {
  program
    .command('validate')
    .summary('check a config and print what will run')
    .description(
      'Check an ingestion config without connecting anywhere: YAML syntax, unknown keys (with a ' +
        'did-you-mean), types, Kubernetes names, literal secrets. Prints the execution mode, shards and ' +
        'pods, where each ${VAR} comes from (and whether it is set), and the OpenMetadata keys accepted ' +
        'but not acted on.',
    )
    .requiredOption('-c, --config <file>', 'ingestion config YAML')
    .option('-o, --output <format>', 'text, or json for scripts', 'text')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  argo-ingest validate -c examples/postgres-distributed.yaml\n' +
        '  argo-ingest validate -c pipeline.yaml --output json | jq .mode\n\n' +
        'Exit status: 0 valid, 2 invalid (each problem on its own line as file:line: path: message).',
    )
    .action((options: ValidateOptions) => {
      if (options.output !== 'text' && options.output !== 'json') {
        throw new CliError(`--output must be "text" or "json", not "${String(options.output)}"`, EXIT_USAGE);
      }
      const loaded = loadConfigFile(options.config);
      const description = describeConfig(loaded, process.env);
      process.stdout.write(
        options.output === 'json'
          ? `${JSON.stringify(description, null, 2)}\n`
          : formatConfigDescription(loaded.file, description),
      );
    });
}
