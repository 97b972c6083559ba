/** Configs for manifest tests: the examples, and variants built from a base config. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { parseConfigText, type LoadedConfig } from '../../src/config/load.js';

export const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const EXAMPLES_DIR = join(PROJECT_DIR, 'examples');
export const DIST_DIR = join(PROJECT_DIR, 'dist');

export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

/** A distributed PostgreSQL config; `distributed` is merged into workflowConfig.distributedExecution. */
export function baseConfig(distributed: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source: {
      type: 'postgres',
      serviceName: 'warehouse_pg',
      serviceConnection: {
        config: {
          type: 'Postgres',
          hostPort: '${PG_HOST_PORT}',
          username: '${PG_USER}',
          authType: { password: '${PG_PASSWORD}' },
          database: 'warehouse',
        },
      },
      sourceConfig: { config: { type: 'DatabaseMetadata' } },
    },
    sink: { type: 'metadata-rest', config: {} },
    workflowConfig: {
      openMetadataServerConfig: {
        hostPort: 'http://openmetadata:8585/api',
        securityConfig: { jwtToken: '${OM_JWT_TOKEN}' },
      },
      distributedExecution: { enabled: true, orchestrator: 'argo', namespace: 'ingestion', ...distributed },
    },
  };
}

export function loadObject(config: Record<string, unknown>, file = 'test.yaml'): LoadedConfig {
  return parseConfigText(stringify(config), file);
}

export function loadExample(name: string): LoadedConfig {
  return parseConfigText(readFileSync(join(EXAMPLES_DIR, name), 'utf8'), `examples/${name}`);
}

export function isArgoExample(name: string): boolean {
  const raw = parse(readFileSync(join(EXAMPLES_DIR, name), 'utf8')) as {
    workflowConfig?: { distributedExecution?: { enabled?: boolean; orchestrator?: string } };
  };
  const dist = raw.workflowConfig?.distributedExecution;
  return dist?.enabled === true && (dist.orchestrator ?? 'argo') === 'argo';
}

/** Every `kind` document in a folder of YAML files (recursively). */
export function readManifests(dir: string): { file: string; object: Record<string, unknown> }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => join(e.parentPath, e.name))
    .sort()
    .map((file) => ({ file, object: parse(readFileSync(file, 'utf8')) as Record<string, unknown> }))
    .filter(({ object }) => object.kind !== 'Kustomization');
}

type Obj = Record<string, unknown>;
export const byKind = (objects: readonly Obj[], kind: string): Obj[] => objects.filter((o) => o.kind === kind);

/** The WorkflowTemplate's spec, typed loosely for assertions. */
export interface TemplateSpec {
  parallelism: number;
  activeDeadlineSeconds: number;
  serviceAccountName: string;
  entrypoint: string;
  securityContext: Obj;
  volumes: Obj[];
  templates: {
    name: string;
    parallelism?: number;
    steps?: {
      name: string;
      template: string;
      withSequence?: Obj;
      withParam?: string;
      withItems?: unknown[];
      continueOn?: Obj;
      arguments?: { parameters: { name: string; value: string }[] };
    }[][];
    container?: Obj & {
      args: string[];
      command: string[];
      env?: Obj[];
      envFrom?: Obj[];
      resources: Obj;
      securityContext: Obj;
      volumeMounts: Obj[];
    };
    outputs?: { parameters: { name: string; valueFrom: { path: string } }[] };
    inputs?: { parameters: { name: string }[] };
    retryStrategy?: Obj;
  }[];
  [key: string]: unknown;
}

export function templateSpec(objects: readonly Obj[]): TemplateSpec {
  const [template] = byKind(objects, 'WorkflowTemplate');
  if (!template) throw new Error('no WorkflowTemplate');
  return template.spec as TemplateSpec;
}
