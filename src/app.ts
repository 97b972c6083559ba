/**
 * The cdk8s app (`cdk8s synth`, see cdk8s.yaml): every `examples/*.yaml` with distributed execution on
 * and orchestrator argo becomes `dist/<pipeline>/` (one file per object + kustomization.yaml), and
 * `dist/kustomization.yaml` lists the folders. Output is deterministic: a second synth leaves git clean.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { executionMode } from './config/distributed.js';
import { loadConfigFile, type LoadedConfig } from './config/load.js';
import { pipelineName } from './config/names.js';
import {
  GENERATED_MARKER,
  kustomization,
  replaceDirectory,
  synthPipelineFiles,
  type SynthFile,
} from './manifests/index.js';

export interface SynthExamplesOptions {
  /** Folder of example configs. @default the project's examples/ */
  readonly examplesDir?: string;
  /** Output folder. @default $CDK8S_OUTDIR, else the project's dist/ */
  readonly outdir?: string;
}

const PROJECT_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Whether a config describes an Argo pipeline (the others run locally and need no manifests). */
export function isArgoPipeline(loaded: LoadedConfig): boolean {
  return executionMode(loaded.config.workflowConfig.distributedExecution) === 'argo';
}

/** Every file of dist/, in a stable order; throws on the first broken example (naming its file). */
export function synthExampleFiles(examplesDir = join(PROJECT_DIR, 'examples')): SynthFile[] {
  const configs = readdirSync(examplesDir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => loadConfigFile(join(examplesDir, name)))
    .filter(isArgoPipeline);
  const seen = new Map<string, string>();
  const files: SynthFile[] = [];
  for (const loaded of configs) {
    const name = pipelineName(loaded.config, loaded.file);
    const clash = seen.get(name);
    if (clash) {
      throw Object.assign(new Error(`${loaded.file} and ${clash} both make the pipeline "${name}"; rename one`), {
        userFacing: true,
      });
    }
    seen.set(name, loaded.file);
    for (const file of synthPipelineFiles(loaded)) files.push({ path: `${name}/${file.path}`, content: file.content });
  }
  const folders = [...seen.keys()].sort();
  files.push({
    path: 'kustomization.yaml',
    content: `${GENERATED_MARKER} from examples/; do not edit, re-run cdk8s synth.\n${kustomization(folders)}`,
  });
  return files;
}

export function synthExamples(options: SynthExamplesOptions = {}): SynthFile[] {
  const files = synthExampleFiles(options.examplesDir);
  replaceDirectory(options.outdir ?? process.env.CDK8S_OUTDIR ?? join(PROJECT_DIR, 'dist'), files);
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const files = synthExamples();
    process.stdout.write(`synthesized ${files.length} files\n`);
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
