/**
 * Validators for the parts of an ingestion workflow OpenMetadata's own schemas describe: a connector's
 * `serviceConnection.config` and the `sourceConfig.config` of its pipeline, per vendored version.
 *
 * - `1.0.4`: schemas/openmetadata-1.0.4 (closed set, connections and pipelines).
 * - `1.13`: schemas/openmetadata-1.13 (closed set, connections only) with the pipeline schemas of
 *   schemas/openmetadata-modern laid over it at the same paths, since 1.13's are not vendored.
 *
 * ajv adjustments as in schemas/README.md: `strict: false`, `$ref`s by file path (each schema registered
 * under the `file:` URI of its path), `#definitions/` normalised, Java's `(?U)` stripped from patterns.
 * Two more, so that "valid" means what OpenMetadata's own (pydantic) models accept of a config's shape:
 * - `oneOf` is read as `anyOf`: OpenMetadata's models take the first matching branch, while several
 *   1.13 unions overlap (basicAuth and gcpCloudSqlConfig both accept `{password}`), which JSON Schema's
 *   `oneOf` would reject.
 * - `format` is not checked: the examples hold placeholders such as `clientX509CertUrl: clientX509CertUrl`,
 *   and argo-ingest checks the URLs it uses itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { CONNECTION_FILES, PIPELINE_FILES } from '../../scripts/generate-openmetadata-keys.js';

const SCHEMAS = resolve(import.meta.dirname, '../../schemas');

export const WORKFLOW_VERSIONS = ['1.0.4', '1.13'] as const;
export type WorkflowVersion = (typeof WORKFLOW_VERSIONS)[number];

/** Folders read per version, later ones overriding earlier ones at the same relative path. */
const LAYERS: Record<WorkflowVersion, string[]> = {
  '1.0.4': ['openmetadata-1.0.4'],
  '1.13': ['openmetadata-1.13', 'openmetadata-modern/metadataIngestion'],
};

function listJsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listJsonFiles(path);
    return entry.name.endsWith('.json') ? [path] : [];
  });
}

function adjust(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(adjust);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  if (typeof obj.$ref === 'string') obj.$ref = obj.$ref.replace('#definitions/', '#/definitions/');
  if (typeof obj.pattern === 'string') obj.pattern = obj.pattern.replace('(?U)', '');
  if (Array.isArray(obj.oneOf)) {
    obj.anyOf = obj.oneOf;
    delete obj.oneOf;
  }
  delete obj.format;
  for (const value of Object.values(obj)) adjust(value);
}

const instances = new Map<WorkflowVersion, { ajv: Ajv; root: string }>();

function ajvFor(version: WorkflowVersion): { ajv: Ajv; root: string } {
  let found = instances.get(version);
  if (found) return found;
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateFormats: false });
  const [base, ...overlays] = LAYERS[version].map((dir) => join(SCHEMAS, dir));
  const root = base!;
  const files = new Map<string, string>();
  for (const path of listJsonFiles(root)) files.set(relative(root, path), path);
  for (const overlay of overlays) {
    const under = relative(join(SCHEMAS, LAYERS[version][1]!.split('/')[0]!), overlay);
    for (const path of listJsonFiles(overlay)) files.set(join(under, relative(overlay, path)), path);
  }
  for (const [rel, path] of files) {
    const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    adjust(schema);
    schema.$id = pathToFileURL(join(root, rel)).href;
    ajv.addSchema(schema);
  }
  found = { ajv, root };
  instances.set(version, found);
  return found;
}

function validator(version: WorkflowVersion, file: string): ValidateFunction | undefined {
  const { ajv, root } = ajvFor(version);
  return ajv.getSchema(pathToFileURL(join(root, file)).href);
}

/**
 * Problems OpenMetadata `version` finds in a workflow's connection and sourceConfig (empty: valid), or
 * undefined when that version has no schema for its connector or pipeline type.
 */
export function workflowProblems(version: WorkflowVersion, workflow: unknown): string[] | undefined {
  const source = (workflow as { source?: Record<string, unknown> }).source ?? {};
  const connectionFile = CONNECTION_FILES[String(source.type).toLowerCase()];
  const sourceConfig = (source.sourceConfig as { config?: { type?: unknown } } | undefined)?.config;
  const pipelineFile = PIPELINE_FILES[String(sourceConfig?.type)];
  const connection = connectionFile && validator(version, connectionFile);
  const pipeline = pipelineFile && validator(version, pipelineFile);
  if (!connection || !pipeline) return undefined;
  const problems: string[] = [];
  const config = (source.serviceConnection as { config?: unknown } | undefined)?.config;
  for (const [what, validate, value] of [
    ['serviceConnection.config', connection, config],
    ['sourceConfig.config', pipeline, sourceConfig],
  ] as const) {
    if (validate(value)) continue;
    for (const e of validate.errors ?? []) {
      const extra = (e.params as { additionalProperty?: string }).additionalProperty;
      problems.push(`${what}${e.instancePath} ${e.message ?? 'is invalid'}${extra ? ` '${extra}'` : ''}`);
    }
  }
  return problems;
}
