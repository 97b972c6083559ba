import type { Command } from 'commander';

/** `argo-ingest validate -c FILE`: placeholder registration, filled in with the config report. */
export function register(program: Command): void {
  program
    .command('validate')
    .description('Check a config and print what will run: mode, shards, pods, ignored keys')
    .requiredOption('-c, --config <file>', 'ingestion config YAML')
    .action(() => {
      throw new Error('validate: not wired yet');
    });
}
