/**
 * Synthesis entry points shared by `cdk8s synth` (src/app.ts), `argo-ingest synth` and the cluster
 * submitter: the same objects, in the same order, from the same config.
 */
import { App } from 'cdk8s';
import { basename } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { PipelineChart } from './pipeline-chart.js';
import { GENERATED_MARKER } from './write.js';
import { toYaml } from './yaml.js';

export { toYaml };

export interface SynthOptions {
  /** Overrides `distributedExecution.namespace` (e.g. a `--namespace` flag). @default the config's namespace */
  readonly namespace?: string;
}

export interface SynthFile {
  /** Relative path inside the pipeline's folder. */
  readonly path: string;
  readonly content: string;
}

/** The order objects are listed and applied in: what others refer to comes first. */
const KIND_ORDER = ['ConfigMap', 'ServiceAccount', 'Role', 'RoleBinding', 'WorkflowTemplate', 'CronWorkflow'];

/**
 * The pipeline's Kubernetes objects as plain JSON, in a stable order (ConfigMap, ServiceAccount, Roles,
 * RoleBindings, WorkflowTemplate, CronWorkflow). Throws ConfigError when the config cannot be synthesized.
 */
export function synthPipelineObjects(loaded: LoadedConfig, options: SynthOptions = {}): Record<string, unknown>[] {
  const app = new App({ outdir: '.unused' });
  const chart = new PipelineChart(app, 'pipeline', { loaded, namespace: options.namespace });
  const objects = chart.toJson() as Record<string, unknown>[];
  // Stable sort: by kind order, then name; the construct order is kept within a kind.
  return objects
    .map((object, index) => ({ object, index }))
    .sort((a, b) => kindRank(a.object) - kindRank(b.object) || a.index - b.index)
    .map(({ object }) => JSON.parse(JSON.stringify(object)) as Record<string, unknown>);
}

/** One YAML file per object plus a `kustomization.yaml` listing them (`kubectl apply -k <dir>`). */
export function synthPipelineFiles(loaded: LoadedConfig, options: SynthOptions = {}): SynthFile[] {
  const objects = synthPipelineObjects(loaded, options);
  const header = `${GENERATED_MARKER} from ${basename(loaded.file)}; do not edit, re-run synth.\n`;
  const files = objects.map((object) => ({ path: fileNameOf(object), content: header + toYaml(object) }));
  files.push({ path: 'kustomization.yaml', content: header + kustomization(files.map((f) => f.path)) });
  return files;
}

/** A kustomization.yaml listing `resources` (files or folders) in the given order. */
export function kustomization(resources: readonly string[]): string {
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources] });
}

/** `<kind>-<name>.yaml`, e.g. `workflowtemplate-warehouse-pg.yaml`. */
export function fileNameOf(object: Record<string, unknown>): string {
  const kind = String(object.kind).toLowerCase();
  const name = String((object.metadata as { name?: unknown } | undefined)?.name);
  return `${kind}-${name}.yaml`;
}

function kindRank(object: Record<string, unknown>): number {
  const rank = KIND_ORDER.indexOf(String(object.kind));
  return rank === -1 ? KIND_ORDER.length : rank;
}
