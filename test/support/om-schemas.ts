/**
 * Validators for OpenMetadata Create* request bodies, built from the vendored closed schema sets of
 * OpenMetadata 1.0.4 (`schemas/openmetadata-1.0.4/`) and 1.13 (`schemas/openmetadata-1.13/`; see
 * schemas/README.md). Used by the OpenMetadata test server (which validates against the set of the
 * version it announces) and by tests that want to check a body directly.
 *
 * Adjustments, each because the schemas are written for a Java validator:
 * - `$ref`s resolve by FILE PATH: each schema is registered under a `file:` URI of its path, and its
 *   published `$id` (https://open-metadata.org/...) is replaced, so relative refs follow the files here.
 * - `#definitions/x` (a typo in one 1.0.4 file) is normalised to `#/definitions/x`.
 * - 1.0.4 name patterns use Java's `(?U)` flag; entity and column names are checked against OpenMetadata
 *   2.0's rule `^((?!::)[^>"\x00-\x1f])*$` instead (DESIGN.md, "The OpenMetadata sink"); other `(?U)`
 *   flags are stripped (1.13: `entityLink`). 1.13's own name rule `^((?!::).)*$` is kept as it is.
 * - ajv runs with `strict: false`, formats from ajv-formats, and Java-only formats accepted as-is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { toDialect, type DialectName } from '../../src/sink/dialect.js';
import type { EntityKind, UpsertRequest } from '../../src/sources/contract.js';

/** OpenMetadata 2.0's rule for entity and column names. */
export const OM2_NAME_PATTERN = '^((?!::)[^>"\\x00-\\x1f])*$';

/** The vendored schema sets: `1.0.4` and `1.13` (closed `$ref` sets). */
export type SchemaSet = '1.0.4' | '1.13';
export const SCHEMA_SETS: readonly SchemaSet[] = ['1.0.4', '1.13'];

const SCHEMAS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../schemas');
const rootOf = (set: SchemaSet) => join(SCHEMAS_DIR, `openmetadata-${set}`);

/**
 * The schema set a server of `version` validates with: 1.13 from 1.1 on (the newest set vendored; an
 * unknown newer version, 2.0 included, gets it too), 1.0.4 for 1.0.x and anything unparsable below.
 */
export function schemaSetFor(version: string): SchemaSet {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return '1.13';
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major === 1 && minor === 0 ? '1.0.4' : major < 1 ? '1.0.4' : '1.13';
}

/** The Create* schema of each entity kind, relative to the schema root. */
export const CREATE_SCHEMAS: Readonly<Record<EntityKind, string>> = {
  databaseService: 'api/services/createDatabaseService.json',
  database: 'api/data/createDatabase.json',
  databaseSchema: 'api/data/createDatabaseSchema.json',
  table: 'api/data/createTable.json',
  dashboardService: 'api/services/createDashboardService.json',
  chart: 'api/data/createChart.json',
  dashboard: 'api/data/createDashboard.json',
};

/** 1.0.4 name patterns replaced by the 2.0 rule (entityName, table/database/schema names, columnName). */
const NAME_PATTERNS_104 = new Set(["^(?U)[\\w'\\- .&()]+$", '^((?!::).)*$']);

function listJsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listJsonFiles(path));
    else if (entry.name.endsWith('.json')) out.push(path);
  }
  return out.sort();
}

/** Rewrites one schema document in place (see the header for why). */
function adjust(node: unknown, set: SchemaSet): void {
  if (Array.isArray(node)) {
    for (const item of node) adjust(item, set);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  if (typeof obj.$ref === 'string') obj.$ref = obj.$ref.replace('#definitions/', '#/definitions/');
  if (typeof obj.pattern === 'string') {
    if (set === '1.0.4' && NAME_PATTERNS_104.has(obj.pattern)) obj.pattern = OM2_NAME_PATTERN;
    else obj.pattern = obj.pattern.replace('(?U)', '');
  }
  for (const value of Object.values(obj)) adjust(value, set);
}

function fileId(path: string): string {
  return pathToFileURL(path).href;
}

const shared = new Map<SchemaSet, Ajv>();

/** One ajv instance per schema set holding every schema of the closed set, keyed by file URI. */
export function omAjv(set: SchemaSet = '1.0.4'): Ajv {
  const existing = shared.get(set);
  if (existing) return existing;
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  // ajv-formats is CommonJS; its default export arrives wrapped under ESM.
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
    a: Ajv,
  ) => Ajv;
  addFormats(ajv);
  // OpenMetadata's own formats, accepted as they are (its Java validator does not check them either).
  for (const format of ['password', 'timezone', 'utc-millisec', 'string', 'url', 'queryBuilder', 'int64']) {
    ajv.addFormat(format, true);
  }
  for (const path of listJsonFiles(rootOf(set))) {
    const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    adjust(schema, set);
    schema.$id = fileId(path);
    // 2020-12 `$schema` markers (OpenMetadata 2.0 files) would make ajv 8 refuse the document; the
    // keywords are draft-07's.
    delete schema.$schema;
    ajv.addSchema(schema);
  }
  shared.set(set, ajv);
  return ajv;
}

const compiled = new Map<string, ValidateFunction>();

/** The compiled validator of a schema file of a set (path relative to the set's root). */
export function schemaValidator(set: SchemaSet, path: string): ValidateFunction {
  const key = `${set}:${path}`;
  let validate = compiled.get(key);
  if (!validate) {
    const id = fileId(join(rootOf(set), path));
    validate = omAjv(set).getSchema(id);
    if (!validate) throw new Error(`schema ${relative(process.cwd(), id)} is missing`);
    compiled.set(key, validate);
  }
  return validate;
}

/** The compiled validator of an entity kind's Create* schema. */
export function createValidator(kind: EntityKind, set: SchemaSet = '1.0.4'): ValidateFunction {
  return schemaValidator(set, CREATE_SCHEMAS[kind]);
}

/** `/columns/0/dataType must be equal to one of the allowed values` style lines, one per ajv error. */
export function formatErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const where = e.instancePath === '' ? '(body)' : e.instancePath;
    const params = e.params as Record<string, unknown>;
    // ajv names the offending key of additionalProperties only in params.
    const extra = typeof params.additionalProperty === 'string' ? ` '${params.additionalProperty}'` : '';
    return `${where} ${e.message ?? 'is invalid'}${extra}`;
  });
}

/** Validates a Create* body against a schema set (default 1.0.4); returns the error lines (empty when valid). */
export function validateCreate(kind: EntityKind, body: unknown, set: SchemaSet = '1.0.4'): string[] {
  const validate = createValidator(kind, set);
  return validate(body) ? [] : formatErrors(validate.errors);
}

/** The body dialect a server validating with `set` expects. */
export function dialectOfSet(set: SchemaSet): DialectName {
  return set === '1.0.4' ? 'openmetadata-1.0' : 'openmetadata-1.13';
}

/**
 * Validates a request as the sink would send it to each vendored version: rewritten into the version's
 * dialect, then checked against its schema set. Lines are prefixed with the set (`[1.13] /name ...`).
 */
export function validateEverywhere(request: UpsertRequest): string[] {
  return SCHEMA_SETS.flatMap((set) =>
    validateCreate(request.kind, toDialect(dialectOfSet(set), request).body, set).map((e) => `[${set}] ${e}`),
  );
}
