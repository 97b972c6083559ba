/**
 * Secret-field rules. A config may hold secrets only as `${VAR}` placeholders: the value reaches the pod
 * from a Kubernetes Secret and is substituted at start-up, so it never lands in a manifest or a file.
 *
 * Which fields are secrets comes from OpenMetadata's schemas (every field marked `format: password`,
 * generated into ./generated/openmetadata-keys.ts), plus the additions below; no key-name guessing.
 */
import { CONNECTION_SECRET_PATHS, SERVER_CONFIG_SECRET_PATHS } from './generated/openmetadata-keys.js';

/**
 * Secret fields OpenMetadata does not mark `format: password`, added on purpose, per `source.type`
 * (paths under `serviceConnection.config`).
 */
const ADDED_CONNECTION_SECRET_PATHS: Readonly<Record<string, readonly string[]>> = {
  // OpenMetadata documents sslKey as a file path; argo-ingest also accepts the key's PEM text there,
  // and a private key in the config must then be a ${VAR}.
  mysql: ['sslKey'],
  // argo-ingest accepts authType: {password} (the form of OpenMetadata's other SQL connections) for these
  // two as well, although their OpenMetadata schemas only have `password`.
  mssql: ['authType.password'],
  oracle: ['authType.password'],
};

/**
 * Key names whose values are never copied into what argo-ingest sends to OpenMetadata (service
 * bodies). This is a deny-list for outgoing bodies only; which config fields must be `${VAR}` is decided
 * by {@link secretFieldPaths}.
 */
export const SECRET_KEY_NAMES: readonly string[] = [
  'password',
  'token',
  'jwtToken',
  'privateKey',
  'privateKeyPassphrase',
  'snowflakePrivatekeyPassphrase',
  'clientSecret',
  'credentials',
  'apiKey',
  'secretKey',
  'awsSecretAccessKey',
  'awsSessionToken',
  'personalAccessTokenSecret',
  'accessToken',
  'sessionToken',
  'sslKey',
  'private_key',
  'private_key_id',
];

const SECRET_KEYS = new Set(SECRET_KEY_NAMES.map((k) => k.toLowerCase()));

/** Whether a key of a connection config is left out of outgoing bodies (see SECRET_KEY_NAMES). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase());
}

/** A value made only of `${VAR}` placeholders (at least one); literal text around them is not allowed. */
export const PLACEHOLDER_ONLY = /^(\$\{[A-Za-z_][A-Za-z0-9_]*\})+$/;

export interface LiteralSecret {
  /** Dot-joined path of the offending field, e.g. `source.serviceConnection.config.password`. */
  readonly path: string;
}

const CONNECTION = 'source.serviceConnection.config';
const SERVER = 'workflowConfig.openMetadataServerConfig';

/**
 * Dot paths (from the config's root; `*` = any list index) of every secret field of a config whose
 * `source.type` is `sourceType`. An unknown or missing type gets every connector's secret fields.
 */
export function secretFieldPaths(sourceType: unknown): string[] {
  const type = typeof sourceType === 'string' ? sourceType.toLowerCase() : '';
  const types = Object.hasOwn(CONNECTION_SECRET_PATHS, type) ? [type] : Object.keys(CONNECTION_SECRET_PATHS);
  const paths = new Set<string>();
  for (const t of types) {
    for (const p of [...(CONNECTION_SECRET_PATHS[t] ?? []), ...(ADDED_CONNECTION_SECRET_PATHS[t] ?? [])]) {
      paths.add(`${CONNECTION}.${p}`);
    }
  }
  for (const p of SERVER_CONFIG_SECRET_PATHS) paths.add(`${SERVER}.${p}`);
  return [...paths].sort();
}

/**
 * Every secret field of a parsed YAML config holding a literal value: text that is not only `${VAR}`
 * placeholders, or a number or boolean. Empty strings are left to the schema.
 */
export function findLiteralSecrets(raw: unknown): LiteralSecret[] {
  const sourceType = isRecord(raw) && isRecord(raw.source) ? raw.source.type : undefined;
  const found = new Set<string>();
  for (const pattern of secretFieldPaths(sourceType)) {
    for (const { path, value } of valuesAt(raw, pattern.split('.'), [])) {
      const literal =
        typeof value === 'string' ? value !== '' && !PLACEHOLDER_ONLY.test(value) : typeof value !== 'object';
      if (literal && value !== undefined && value !== null) found.add(path.join('.'));
    }
  }
  return [...found].sort().map((path) => ({ path }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function valuesAt(value: unknown, pattern: readonly string[], path: string[]): { path: string[]; value: unknown }[] {
  if (pattern.length === 0) return [{ path, value }];
  const [head, ...rest] = pattern as [string, ...string[]];
  if (head === '*') {
    return Array.isArray(value) ? value.flatMap((item, i) => valuesAt(item, rest, [...path, String(i)])) : [];
  }
  if (!isRecord(value) || !Object.hasOwn(value, head)) return [];
  return valuesAt(value[head], rest, [...path, head]);
}
