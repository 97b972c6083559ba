/**
 * Validators for OpenMetadata Create* request bodies, built from the vendored 1.0.4 JSON schemas in
 * `schemas/openmetadata-1.0.4/` (the closed set). Used by the OpenMetadata test server and by tests that
 * want to check a body directly.
 *
 * Adjustments, each because the schemas are written for a Java validator:
 * - `$ref`s resolve by FILE PATH: each schema is registered under a `file:` URI of its path, and its
 *   published `$id` (https://open-metadata.org/...) is replaced, so relative refs follow the files here.
 * - `#definitions/x` (a typo in one 1.0.4 file) is normalised to `#/definitions/x`.
 * - Name patterns use Java's `(?U)` flag; entity and column names are checked against OpenMetadata 2.0's
 *   rule `^((?!::)[^>"\x00-\x1f])*$` instead (DESIGN.md, "The OpenMetadata sink"); other `(?U)` prefixes
 *   are stripped.
 * - ajv runs with `strict: false`, formats from ajv-formats, and Java-only formats accepted as-is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { EntityKind } from '../../src/sources/contract.js';

/** OpenMetadata 2.0's rule for entity and column names. */
export const OM2_NAME_PATTERN = '^((?!::)[^>"\\x00-\\x1f])*$';

const SCHEMA_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../schemas/openmetadata-1.0.4');

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
const NAME_PATTERNS = new Set(["^(?U)[\\w'\\- .&()]+$", '^((?!::).)*$']);

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
function adjust(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(adjust);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  if (typeof obj.$ref === 'string') obj.$ref = obj.$ref.replace('#definitions/', '#/definitions/');
  if (typeof obj.pattern === 'string') {
    if (NAME_PATTERNS.has(obj.pattern)) obj.pattern = OM2_NAME_PATTERN;
    else obj.pattern = obj.pattern.replace('(?U)', '');
  }
  for (const value of Object.values(obj)) adjust(value);
}

function fileId(path: string): string {
  return pathToFileURL(path).href;
}

let shared: Ajv | undefined;

/** One ajv instance holding every schema of the closed set, keyed by file URI. */
export function omAjv(): Ajv {
  if (shared) return shared;
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  // ajv-formats is CommonJS; its default export arrives wrapped under ESM.
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
    a: Ajv,
  ) => Ajv;
  addFormats(ajv);
  for (const format of ['password', 'timezone', 'utc-millisec', 'string']) ajv.addFormat(format, true);
  for (const path of listJsonFiles(SCHEMA_ROOT)) {
    const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    adjust(schema);
    schema.$id = fileId(path);
    ajv.addSchema(schema);
  }
  shared = ajv;
  return ajv;
}

const compiled = new Map<EntityKind, ValidateFunction>();

/** The compiled validator of an entity kind's Create* schema. */
export function createValidator(kind: EntityKind): ValidateFunction {
  let validate = compiled.get(kind);
  if (!validate) {
    const id = fileId(join(SCHEMA_ROOT, CREATE_SCHEMAS[kind]));
    validate = omAjv().getSchema(id);
    if (!validate) throw new Error(`schema ${relative(process.cwd(), id)} is missing`);
    compiled.set(kind, validate);
  }
  return validate;
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

/** Validates a Create* body; returns the error lines (empty when valid). */
export function validateCreate(kind: EntityKind, body: unknown): string[] {
  const validate = createValidator(kind);
  return validate(body) ? [] : formatErrors(validate.errors);
}
