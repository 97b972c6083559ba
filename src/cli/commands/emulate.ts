/**
 * `argo-ingest emulate -c FILE`: rehearse the synthesized WorkflowTemplate on this machine the way Argo
 * would run it (src/emulate): the same pods, in the same order, with the same parameters, retries,
 * parallelism and failure rules, each pod a local process of the worker.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { resolve } from 'node:path';
import { loadConfigFile } from '../../config/load.js';
import { emulatePipeline } from '../../emulate/pipeline.js';
import { CliError, EXIT_USAGE } from '../errors.js';

interface EmulateCliOptions {
  readonly config: string;
  readonly maxPods?: number;
  readonly deadline?: number;
  readonly argoVersion?: string;
  readonly podLogs: boolean;
  readonly sinkFile?: string;
}

/** The Argo tags whose controller source the emulator follows, by minor version. */
const KNOWN_TAGS: Readonly<Record<string, string>> = {
  '3.6': '3.6.19',
  '3.7': '3.7.18',
  '4.0': '4.0.10',
  '4.1': '4.1.2',
};

function positive(option: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
      throw new InvalidArgumentError(`${option} must be a whole number >= 1, not "${value}"`);
    }
    return Number(value);
  };
}

/** `3.7` -> `3.7.18` (the tag the emulator follows); a full version stays. */
export function emulatedVersion(version: string): string {
  const m = /^v?(\d+\.\d+)(\.\d+)?$/.exec(version.trim());
  if (!m) throw new CliError(`--argo-version must be a version such as 4.1.2, not "${version}"`, EXIT_USAGE);
  return m[2] ? `${m[1]}${m[2]}` : (KNOWN_TAGS[m[1]!] ?? `${m[1]}.0`);
}

export function register(program: Command): void {
  program
    .command('emulate')
    .summary('rehearse the synthesized WorkflowTemplate here, the way Argo would run it')
    .description(
      'Run the WorkflowTemplate that `synth` writes for this config here, by the\n' +
        "rules of Argo's controller: discover, every shard with its retries and\n" +
        'parallelism, finalize, with the same parameters and the same Failed / Error\n' +
        'handling. Each pod is a local process of the worker, with the ConfigMap\n' +
        'mounted where the template mounts it and the Secret values taken from this\n' +
        "environment. Prints each pod's phase. Needs orchestrator: argo.",
    )
    .requiredOption('-c, --config <file>', 'ingestion config YAML (orchestrator: argo)')
    .option(
      '--max-pods <n>',
      'at most this many pods at once on this machine (default: parallelism)',
      positive('--max-pods'),
    )
    .option('--deadline <seconds>', 'override activeDeadlineSeconds', positive('--deadline'))
    .option('--argo-version <version>', 'Argo rules to follow (default: distributedExecution.argoVersion)')
    .option('--no-pod-logs', "do not print the pods' output")
    .option('--sink-file <file>', 'write to this JSON-lines file instead of OpenMetadata (a dry rehearsal)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  export POSTGRES_HOST_PORT=127.0.0.1:5432 POSTGRES_USER=... POSTGRES_PASSWORD=... \\\n' +
        '         OPENMETADATA_HOST_PORT=http://localhost:8585/api OM_JWT_TOKEN=...\n' +
        '  argo-ingest emulate -c examples/postgres-distributed.yaml --max-pods 4\n\n' +
        'Exit status: 0 when the Workflow would succeed, 1 when it would fail, 2 on a bad config.',
    )
    .action(async (options: EmulateCliOptions) => {
      const loaded = loadConfigFile(options.config);
      const dist = loaded.config.workflowConfig.distributedExecution;
      if (!dist.enabled || dist.orchestrator !== 'argo') {
        throw new CliError(
          `${loaded.file}: emulate rehearses the Argo WorkflowTemplate; set workflowConfig.distributedExecution.enabled: true and orchestrator: argo`,
          EXIT_USAGE,
        );
      }
      const write = (line: string) => process.stderr.write(`${line}\n`);
      const result = await emulatePipeline(loaded, {
        argoVersion: emulatedVersion(options.argoVersion ?? dist.argoVersion),
        ...(options.maxPods !== undefined ? { maxPods: options.maxPods } : {}),
        ...(options.deadline !== undefined ? { deadlineSeconds: options.deadline } : {}),
        ...(options.sinkFile !== undefined ? { sinkFile: resolve(options.sinkFile) } : {}),
        log: (line) => write(`[emulate] ${line}`),
        ...(options.podLogs
          ? { podOutput: (pod, text) => process.stderr.write(text.replace(/^(?=.)/gm, `  ${pod.name} | `)) }
          : {}),
      });
      if (result.phase !== 'Succeeded') throw new CliError(`the Workflow would fail: ${result.message}`, 1);
    });
}
