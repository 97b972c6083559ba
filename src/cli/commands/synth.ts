/**
 * `argo-ingest synth -c FILE [-o DIR | --stdout]`: the pipeline's Kubernetes manifests without the cdk8s
 * CLI. Nothing is written unless the whole synthesis succeeds, and a directory is replaced atomically.
 */
import type { Command } from 'commander';
import { dirname, join, resolve } from 'node:path';
import { loadConfigFile } from '../../config/load.js';
import {
  pipelineSettings,
  replaceDirectory,
  secretCommands,
  synthPipelineFiles,
  synthPipelineObjects,
  toYaml,
} from '../../manifests/index.js';
import { CliError, EXIT_USAGE } from '../errors.js';
import { makeDirectoriesSync } from '../../util/make-directories.js';
import { parseNamespace } from '../options.js';

interface SynthOptions {
  readonly config: string;
  readonly output?: string;
  readonly stdout?: boolean;
  readonly namespace?: string;
}

export function register(program: Command): void {
  program
    .command('synth')
    .summary('write the Kubernetes manifests (WorkflowTemplate, RBAC, ConfigMap, CronWorkflow) of a config')
    .description(
      'Turn an ingestion config (distributedExecution.enabled: true, orchestrator: argo) into Kubernetes ' +
        'manifests: a ConfigMap with the config (${VAR}s intact), a ServiceAccount, Role and RoleBinding for ' +
        'the workflow pods, an optional submitter Role, the WorkflowTemplate (discover -> shards -> finalize) ' +
        'and, with a schedule, a CronWorkflow; plus kustomization.yaml.\n\n' +
        'Secret values are never written: pods read them from the Secret <name>-credentials (or the Secrets ' +
        'mapped in distributedExecution.secrets). A bad config writes nothing; an existing output directory is ' +
        'replaced only if argo-ingest wrote it.',
    )
    .requiredOption('-c, --config <file>', 'ingestion config YAML')
    .option('-o, --output <dir>', 'directory to write, replaced as a whole (default: dist/<pipeline-name>)')
    .option('--stdout', 'print the objects as one multi-document YAML stream instead of writing files')
    .option(
      '-n, --namespace <namespace>',
      'override distributedExecution.namespace (default: the config\'s, else "default")',
      parseNamespace,
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  argo-ingest synth -c examples/postgres-distributed.yaml -o manifests/warehouse-pg\n' +
        '  kubectl apply -k manifests/warehouse-pg\n' +
        '  argo-ingest synth -c pipeline.yaml --stdout | kubectl apply -f -\n' +
        '  argo-ingest synth -c pipeline.yaml -n staging -o out/staging\n\n' +
        'Exit status: 0 written, 2 invalid config or options (nothing written), 1 could not write.',
    )
    .action((options: SynthOptions) => {
      if (options.stdout && options.output !== undefined) {
        throw new CliError('use either --output DIR or --stdout, not both', EXIT_USAGE);
      }
      const loaded = loadConfigFile(options.config);
      const synthOptions = options.namespace !== undefined ? { namespace: options.namespace } : {};
      if (options.stdout) {
        const objects = synthPipelineObjects(loaded, synthOptions);
        process.stdout.write(objects.map((o) => `---\n${toYaml(o)}`).join(''));
        return;
      }
      const settings = pipelineSettings(loaded, synthOptions);
      const files = synthPipelineFiles(loaded, synthOptions);
      // `-o out/` and `-o out` name the same directory; print it without a doubled slash.
      const dir = options.output !== undefined ? stripTrailingSlashes(options.output) : join('dist', settings.name);
      createParent(dir);
      replaceDirectory(dir, files);
      const lines = [`wrote ${files.length} files to ${dir}/`];
      const secrets = secretCommands(settings);
      if (secrets.length > 0)
        lines.push('Create the Secret(s) the pods read (once per cluster):', ...secrets.map((s) => `  ${s}`));
      lines.push(`Apply: kubectl apply -k ${dir}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

function stripTrailingSlashes(dir: string): string {
  const stripped = dir.replace(/\/+$/, '');
  return stripped === '' ? '/' : stripped;
}

/**
 * Creates the output directory's parent first, with a mkdir -p that cannot hang (see
 * make-directories.ts), and says which directory could not be made.
 */
function createParent(dir: string): void {
  const parent = dirname(resolve(dir));
  try {
    makeDirectoriesSync(parent);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliError(`cannot create the directory ${parent} (${code}); choose another output directory (-o)`);
  }
}
