/**
 * Validates objects against the openAPIV3Schema of the vendored Argo CRDs (crds/argo/<version>/), stricter
 * than the API server on one point: unknown fields are errors (the API server prunes them silently, so a
 * typo such as `paralelism` would vanish). Also emulates the CEL rules (`x-kubernetes-validations`) of the
 * CRDs and the name lengths Argo enforces. Every rule found in a CRD must be emulated here, or loading fails.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ARGO_VERSIONS = ['v3.7.18', 'v4.1.2'] as const;
export type ArgoVersion = (typeof ARGO_VERSIONS)[number];

const CRD_ROOT = fileURLToPath(new URL('../../crds/argo/', import.meta.url));
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type Schema = Record<string, unknown>;
type Json = unknown;

/** Argo's name limits: a Workflow's name is a label value (63); a CronWorkflow adds `-<10 digits>`. */
export const NAME_LIMITS: Readonly<Record<string, number>> = {
  Workflow: 63,
  WorkflowTemplate: 63,
  CronWorkflow: 52,
  ClusterWorkflowTemplate: 63,
};

const DNS1123_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

/** The part of ObjectMeta a manifest may set (the CRDs declare metadata as a bare object). */
const OBJECT_META: Schema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 253, pattern: DNS1123_SUBDOMAIN },
    generateName: { type: 'string' },
    namespace: { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
    labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 63 } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

type Rule = (self: Record<string, Json>) => boolean;
const has = (o: unknown, k: string) =>
  o !== null && typeof o === 'object' && (o as Record<string, unknown>)[k] !== undefined;
const count = (o: unknown, keys: readonly string[]) => keys.filter((k) => has(o, k)).length;
const ARTIFACT_LOCATIONS = ['s3', 'git', 'http', 'artifactory', 'hdfs', 'raw', 'oss', 'gcs', 'azure', 'plugin'];
const TEMPLATE_TYPES = [
  'container',
  'script',
  'dag',
  'steps',
  'resource',
  'suspend',
  'containerSet',
  'data',
  'http',
  'plugin',
];
const asList = (self: unknown) => (Array.isArray(self) ? (self as Record<string, Json>[]) : []);

/** CEL rules of the CRDs (whitespace-normalized) and their JavaScript equivalents. */
const CEL_RULES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  [
    '(has(self.s3) ? 1 : 0) + (has(self.git) ? 1 : 0) + (has(self.http) ? 1 : 0) + (has(self.artifactory) ? 1 : 0) + (has(self.hdfs) ? 1 : 0) + (has(self.raw) ? 1 : 0) + (has(self.oss) ? 1 : 0) + (has(self.gcs) ? 1 : 0) + (has(self.azure) ? 1 : 0) + (has(self.plugin) ? 1 : 0) <= 1',
    (self) => count(self, ARTIFACT_LOCATIONS) <= 1,
  ],
  [
    "!has(self.realtime) || !self.realtime || !self.value.contains('resourcesDuration.')",
    (self) => !self.realtime || !String(self.value).includes('resourcesDuration.'),
  ],
  ['!has(self.depends) || !has(self.dependencies)', (self) => !has(self, 'depends') || !has(self, 'dependencies')],
  ['!has(self.depends) || !has(self.continueOn)', (self) => !has(self, 'depends') || !has(self, 'continueOn')],
  [
    "!(has(self.depends) || has(self.dependencies)) || !self.name.matches('^[0-9]')",
    (self) => !(has(self, 'depends') || has(self, 'dependencies')) || !/^[0-9]/.test(String(self.name)),
  ],
  ['!(has(self.count) && has(self.end))', (self) => !(has(self, 'count') && has(self, 'end'))],
  [
    '(has(self.manifest) && !has(self.manifestFrom)) || (!has(self.manifest) && has(self.manifestFrom)) || (!has(self.manifest) && !has(self.manifestFrom))',
    (self) => !(has(self, 'manifest') && has(self, 'manifestFrom')),
  ],
  [
    'self.all(t, (has(t.container) ? 1 : 0) + (has(t.script) ? 1 : 0) + (has(t.dag) ? 1 : 0) + (has(t.steps) ? 1 : 0) + (has(t.resource) ? 1 : 0) + (has(t.suspend) ? 1 : 0) + (has(t.containerSet) ? 1 : 0) + (has(t.data) ? 1 : 0) + (has(t.http) ? 1 : 0) + (has(t.plugin) ? 1 : 0) <= 1)',
    (self) => asList(self).every((t) => count(t, TEMPLATE_TYPES) <= 1),
  ],
  [
    'self.all(t, !(has(t.timeout) && t.timeout != "" && (has(t.steps) || has(t.dag))))',
    (self) => asList(self).every((t) => !(has(t, 'timeout') && t.timeout !== '' && (has(t, 'steps') || has(t, 'dag')))),
  ],
  [
    'self.all(t, !(has(t.activeDeadlineSeconds) && (has(t.steps) || has(t.dag))))',
    (self) => asList(self).every((t) => !(has(t, 'activeDeadlineSeconds') && (has(t, 'steps') || has(t, 'dag')))),
  ],
]);

const normalizeRule = (rule: string) => rule.replace(/\s+/g, ' ').trim();

interface KindSchema {
  readonly kind: string;
  readonly schema: Schema;
}

export interface CrdValidator {
  readonly version: ArgoVersion;
  /** The kinds this version's CRDs define. */
  readonly kinds: readonly string[];
  /** Problems found in `object`, one `path: message` line each; empty when valid. */
  validate(object: Record<string, Json>): string[];
}

const cache = new Map<ArgoVersion, CrdValidator>();

export function crdValidator(version: ArgoVersion): CrdValidator {
  const cached = cache.get(version);
  if (cached) return cached;
  const dir = join(CRD_ROOT, version);
  const byKind = new Map<string, KindSchema>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const crd = parse(readFileSync(join(dir, file), 'utf8')) as {
      spec: { names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
    };
    const served = crd.spec.versions.find((v) => v.name === 'v1alpha1');
    if (!served) throw new Error(`${file}: no v1alpha1 version`);
    const schema = strictify(served.schema.openAPIV3Schema, file, []) as Schema;
    (schema.properties as Record<string, Schema>).metadata = OBJECT_META;
    schema.required = [...new Set([...((schema.required as string[]) ?? []), 'apiVersion', 'kind', 'metadata'])];
    byKind.set(crd.spec.names.kind, { kind: crd.spec.names.kind, schema });
  }
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  const compiled = new Map<string, ValidateFunction>();
  const validator: CrdValidator = {
    version,
    kinds: [...byKind.keys()].sort(),
    validate(object) {
      const kind = String(object.kind);
      const entry = byKind.get(kind);
      if (!entry) return [`kind: ${kind} is not defined by the Argo ${version} CRDs`];
      const errors: string[] = [];
      if (object.apiVersion !== 'argoproj.io/v1alpha1') errors.push(`apiVersion: must be argoproj.io/v1alpha1`);
      // Compiling a whole CRD schema takes seconds; the part this object can reach compiles in milliseconds.
      const pruned = prune(entry.schema, [object]) as Schema;
      const key = JSON.stringify(pruned);
      let validate = compiled.get(key);
      if (!validate) compiled.set(key, (validate = ajv.compile(pruned)));
      if (!validate(object)) {
        for (const e of validate.errors ?? []) {
          const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
          errors.push(`${e.instancePath || '/'}: ${e.message ?? e.keyword}${extra}`);
        }
      }
      errors.push(...checkCel(entry.schema, object, ''));
      const name = (object.metadata as { name?: string } | undefined)?.name;
      const limit = NAME_LIMITS[kind];
      if (limit !== undefined && typeof name === 'string' && name.length > limit) {
        errors.push(`/metadata/name: ${kind} names must be at most ${limit} characters (${name.length})`);
      }
      return errors;
    },
  };
  cache.set(version, validator);
  return validator;
}

/**
 * The schema as JSON Schema for ajv: `additionalProperties: false` wherever properties are listed and
 * unknown fields are not preserved; int-or-string as anyOf; every CEL rule checked for an emulation.
 */
function strictify(node: Json, file: string, path: string[]): Json {
  if (Array.isArray(node)) return node.map((n) => strictify(n, file, path));
  if (node === null || typeof node !== 'object') return node;
  const src = node as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(src)) {
    if (key === 'description') continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Schema).map(([k, v]) => [k, strictify(v, file, [...path, k])]),
      );
    } else if (key === 'x-kubernetes-validations') {
      for (const { rule } of value as { rule: string }[]) {
        if (!CEL_RULES.has(normalizeRule(rule))) {
          throw new Error(`${file}: ${path.join('.')}: CEL rule not emulated by crd-validator.ts: ${rule}`);
        }
      }
      out[key] = value;
    } else {
      out[key] = strictify(value, file, path);
    }
  }
  if (src['x-kubernetes-int-or-string'] === true) {
    const { type: _type, pattern, ...rest } = out;
    return { ...rest, anyOf: [{ type: 'integer' }, { type: 'string', ...(pattern ? { pattern } : {}) }] };
  }
  if (
    out.properties &&
    src['x-kubernetes-preserve-unknown-fields'] !== true &&
    out.additionalProperties === undefined
  ) {
    out.additionalProperties = false;
  }
  return out;
}

/** Walks object and schema together, evaluating the emulated CEL rules where the schema has them. */
function checkCel(schema: Schema, value: Json, path: string): string[] {
  if (value === null || value === undefined || typeof value !== 'object') return [];
  const errors: string[] = [];
  const rules = schema['x-kubernetes-validations'] as { rule: string; message?: string }[] | undefined;
  for (const { rule, message } of rules ?? []) {
    if (!CEL_RULES.get(normalizeRule(rule))!(value as Record<string, Json>)) {
      errors.push(`${path || '/'}: ${message ?? rule}`);
    }
  }
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    if (items) value.forEach((v, i) => errors.push(...checkCel(items, v, `${path}/${i}`)));
    return errors;
  }
  const properties = schema.properties as Record<string, Schema> | undefined;
  const additional = schema.additionalProperties;
  for (const [key, child] of Object.entries(value as Record<string, Json>)) {
    const childSchema = properties?.[key] ?? (typeof additional === 'object' ? (additional as Schema) : undefined);
    if (childSchema) errors.push(...checkCel(childSchema, child, `${path}/${key}`));
  }
  return errors;
}

/**
 * The schema reduced to what `values` can reach: the sub-schema of a property no value has becomes `{}`.
 * The property stays listed, so `additionalProperties: false` still rejects unknown fields; validation
 * of `values` is unchanged.
 */
function prune(schema: Json, values: readonly Json[]): Json {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  if (values.length === 0) return {};
  const node = schema as Schema;
  const out: Schema = { ...node };
  const objects = values.filter(
    (v): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v),
  );
  const properties = node.properties as Record<string, Schema> | undefined;
  if (properties) {
    out.properties = Object.fromEntries(
      Object.entries(properties).map(([k, sub]) => [
        k,
        prune(
          sub,
          objects.map((o) => o[k]).filter((v) => v !== undefined),
        ),
      ]),
    );
  }
  if (node.additionalProperties !== null && typeof node.additionalProperties === 'object') {
    const extra = objects.flatMap((o) =>
      Object.entries(o)
        .filter(([k]) => !properties?.[k])
        .map(([, v]) => v),
    );
    out.additionalProperties = prune(node.additionalProperties, extra);
  }
  if (node.items !== undefined) {
    out.items = prune(node.items, values.filter(Array.isArray).flat());
  }
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(node[key])) out[key] = (node[key] as Json[]).map((branch) => prune(branch, values));
  }
  return out;
}
