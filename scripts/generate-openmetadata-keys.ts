/**
 * Generates src/config/generated/openmetadata-keys.ts from the vendored OpenMetadata JSON schemas
 * (schemas/openmetadata-1.0.4, schemas/openmetadata-1.13, schemas/openmetadata-modern):
 * - the keys OpenMetadata defines for each connector's `serviceConnection.config` (union of the versions);
 * - the keys of `sourceConfig.config` per pipeline type;
 * - every field marked `format: password` under a connection and under `openMetadataServerConfig`.
 *
 * Run `npm run generate:om-keys` after vendoring a schema; test/config/openmetadata-keys.test.ts fails
 * while the committed file differs from what this script produces.
 *
 * Reading rules: `$ref`s resolve by file path (not `$id`, see schemas/README.md); `oneOf`/`anyOf`/`allOf`
 * branches are merged (a key of any branch is known); `openmetadata-modern` is not a closed set, so a
 * `$ref` it makes to a file it lacks is read from the 1.13 set, then the 1.0.4 set, at the same path
 * (and one that resolves nowhere is an empty schema: its key counts, nothing is known under it).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMAS = join(ROOT, 'schemas');
export const OUTPUT = join(ROOT, 'src/config/generated/openmetadata-keys.ts');

/** Vendored sets, oldest first. `fallback`: where a `$ref` missing from the set is looked up. */
const VERSIONS = [
  { dir: 'openmetadata-1.0.4', fallback: [] },
  { dir: 'openmetadata-1.13', fallback: [] },
  { dir: 'openmetadata-modern', fallback: ['openmetadata-1.13', 'openmetadata-1.0.4'] },
] as const;

const CONNECTIONS = 'entity/services/connections';

/** `source.type` -> its connection schema (same relative path in every version). */
export const CONNECTION_FILES: Readonly<Record<string, string>> = {
  postgres: `${CONNECTIONS}/database/postgresConnection.json`,
  mysql: `${CONNECTIONS}/database/mysqlConnection.json`,
  redshift: `${CONNECTIONS}/database/redshiftConnection.json`,
  snowflake: `${CONNECTIONS}/database/snowflakeConnection.json`,
  bigquery: `${CONNECTIONS}/database/bigQueryConnection.json`,
  mssql: `${CONNECTIONS}/database/mssqlConnection.json`,
  oracle: `${CONNECTIONS}/database/oracleConnection.json`,
  looker: `${CONNECTIONS}/dashboard/lookerConnection.json`,
  powerbi: `${CONNECTIONS}/dashboard/powerBIConnection.json`,
  tableau: `${CONNECTIONS}/dashboard/tableauConnection.json`,
  metabase: `${CONNECTIONS}/dashboard/metabaseConnection.json`,
  superset: `${CONNECTIONS}/dashboard/supersetConnection.json`,
};

/** `sourceConfig.config.type` -> its pipeline schema. */
export const PIPELINE_FILES: Readonly<Record<string, string>> = {
  DatabaseMetadata: 'metadataIngestion/databaseServiceMetadataPipeline.json',
  DashboardMetadata: 'metadataIngestion/dashboardServiceMetadataPipeline.json',
};

/** `workflowConfig.openMetadataServerConfig`. */
export const SERVER_CONNECTION_FILE = `${CONNECTIONS}/metadata/openMetadataConnection.json`;

type Json = Record<string, unknown>;

/** A schema node and where it was read (for resolving the `$ref`s inside it). */
interface Located {
  readonly node: Json;
  readonly version: string;
  readonly file: string;
}

const cache = new Map<string, Json | undefined>();

function readSchema(version: string, file: string): Json | undefined {
  const key = `${version}/${file}`;
  if (!cache.has(key)) {
    const path = join(SCHEMAS, version, file);
    cache.set(key, existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Json) : undefined);
  }
  return cache.get(key);
}

function pointer(doc: Json, fragment: string): Json | undefined {
  let node: unknown = doc;
  for (const part of fragment
    .replace(/^#?\/?/, '')
    .split('/')
    .filter(Boolean)) {
    node = (node as Json | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node !== null && typeof node === 'object' ? (node as Json) : undefined;
}

function resolveRef(ref: string, from: Located): Located {
  const [target = '', fragment = ''] = ref.replace('#definitions/', '#/definitions/').split('#');
  const file = target === '' ? from.file : posix.normalize(posix.join(posix.dirname(from.file), target));
  const version = VERSIONS.find((v) => v.dir === from.version)!;
  for (const dir of [from.version, ...version.fallback]) {
    const doc = readSchema(dir, file);
    const node = doc && pointer(doc, fragment);
    if (node) return { node, version: dir, file };
  }
  // A closed set must resolve; a single newer file may name a definition no vendored file has: its key
  // still counts, nothing is known under it.
  if (version.fallback.length > 0) return { node: {}, version: from.version, file };
  throw new Error(`${from.version}/${from.file}: $ref ${ref} does not resolve`);
}

/** The object schemas a node stands for: `$ref` followed, `oneOf`/`anyOf`/`allOf` branches merged. */
function branches(at: Located, depth = 0): Located[] {
  if (depth > 20) throw new Error(`${at.file}: $ref chain too deep`);
  const out: Located[] = [];
  if (typeof at.node.$ref === 'string') out.push(...branches(resolveRef(at.node.$ref, at), depth + 1));
  for (const key of ['oneOf', 'anyOf', 'allOf']) {
    const list = at.node[key];
    if (Array.isArray(list)) for (const b of list as Json[]) out.push(...branches({ ...at, node: b }, depth + 1));
  }
  out.push(at);
  return out;
}

/** Every property name of a schema, with the schemas it may hold, across its branches. */
function properties(at: Located): Map<string, Located[]> {
  const out = new Map<string, Located[]>();
  for (const branch of branches(at)) {
    const props = branch.node.properties;
    if (props === null || typeof props !== 'object') continue;
    for (const [key, node] of Object.entries(props as Json)) {
      out.set(key, [...(out.get(key) ?? []), { ...branch, node: node as Json }]);
    }
  }
  return out;
}

/** Dot paths of every `format: password` field under a schema; `*` stands for an array index. */
function passwordPaths(at: Located, prefix: string[] = [], seen: ReadonlySet<Json> = new Set()): string[] {
  const found = new Set<string>();
  for (const [key, nodes] of properties(at)) {
    for (const node of nodes) {
      const all = branches(node);
      if (all.some((b) => b.node.format === 'password')) found.add([...prefix, key].join('.'));
      for (const b of all) {
        if (seen.has(b.node)) continue;
        const next = new Set(seen).add(b.node);
        for (const p of passwordPaths(b, [...prefix, key], next)) found.add(p);
        const items = b.node.items;
        if (items !== null && typeof items === 'object' && !Array.isArray(items)) {
          for (const p of passwordPaths({ ...b, node: items as Json }, [...prefix, key, '*'], next)) found.add(p);
        }
      }
    }
  }
  return [...found];
}

interface Collected {
  readonly keys: string[];
  readonly secrets: string[];
  /** The versions that define the schema. */
  readonly versions: string[];
}

function collect(file: string): Collected {
  const keys = new Set<string>();
  const secrets = new Set<string>();
  const versions: string[] = [];
  for (const { dir } of VERSIONS) {
    const doc = readSchema(dir, file);
    if (!doc) continue;
    versions.push(dir);
    const root: Located = { node: doc, version: dir, file };
    for (const key of properties(root).keys()) keys.add(key);
    for (const path of passwordPaths(root)) secrets.add(path);
  }
  if (versions.length === 0) throw new Error(`${file} is in no vendored version`);
  return { keys: [...keys].sort(), secrets: [...secrets].sort(), versions };
}

function record(entries: [string, string[]][]): string {
  const lines = entries.map(
    ([name, list]) => `  ${JSON.stringify(name)}: [\n${list.map((k) => `    ${JSON.stringify(k)},\n`).join('')}  ],`,
  );
  return `{\n${lines.join('\n')}\n}`;
}

/** The generated module's text. */
export function renderGeneratedModule(): string {
  const connections = Object.entries(CONNECTION_FILES).map(([type, file]) => [type, collect(file)] as const);
  const pipelines = Object.entries(PIPELINE_FILES).map(([type, file]) => [type, collect(file)] as const);
  const server = collect(SERVER_CONNECTION_FILE);
  const sources = [...connections, ...pipelines]
    .map(([type, c]) => `//   ${type}: ${c.versions.join(', ')}`)
    .join('\n');
  return `// GENERATED by scripts/generate-openmetadata-keys.ts from schemas/; do not edit by hand.
// Regenerate with \`npm run generate:om-keys\`. Schemas read, per entry:
${sources}
//   openMetadataServerConfig: ${server.versions.join(', ')}

/** Keys OpenMetadata defines for \`serviceConnection.config\`, per \`source.type\` (every vendored version). */
export const CONNECTION_KEYS: Readonly<Record<string, readonly string[]>> = ${record(connections.map(([t, c]) => [t, c.keys]))};

/**
 * Fields marked \`format: password\` under \`serviceConnection.config\`, per \`source.type\`, as dot paths
 * (\`*\` = any list index; branches of a \`oneOf\` merged, so \`authType.password\` covers basicAuth).
 */
export const CONNECTION_SECRET_PATHS: Readonly<Record<string, readonly string[]>> = ${record(connections.map(([t, c]) => [t, c.secrets]))};

/** Keys OpenMetadata defines for \`sourceConfig.config\`, per pipeline type. */
export const SOURCE_CONFIG_KEYS: Readonly<Record<string, readonly string[]>> = ${record(pipelines.map(([t, c]) => [t, c.keys]))};

/** Fields marked \`format: password\` under \`workflowConfig.openMetadataServerConfig\`. */
export const SERVER_CONFIG_SECRET_PATHS: readonly string[] = ${JSON.stringify(server.secrets, null, 2)};
`;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = renderGeneratedModule();
  if (process.argv.includes('--check')) {
    const current = existsSync(OUTPUT) ? readFileSync(OUTPUT, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(`${OUTPUT} is out of date; run npm run generate:om-keys\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(OUTPUT, text);
    process.stdout.write(`wrote ${OUTPUT}\n`);
  }
}
