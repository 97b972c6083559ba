/**
 * Body dialects: what a Create* body looks like for the OpenMetadata version the sink talks to.
 *
 * Connectors build one neutral body (src/sources/common/requests.ts, the connectors' service
 * connections): a view's SQL under `schemaDefinition`, and in a service's `connection.config` the
 * fields of the user's config, which may be 1.0.x spellings (Tableau `env` / `siteUrl`, Snowflake
 * `includeTempTables`, BigQuery `credentials.gcsConfig`) or current ones (`siteName`,
 * `credentials.gcpConfig`). The sink rewrites that body for the server's version:
 *
 * | field | `openmetadata-1.0` (1.0.x) | `openmetadata-1.13` (1.1 and later, 2.0, unknown newer) |
 * |---|---|---|
 * | view SQL (createTable) | `viewDefinition` | `schemaDefinition` |
 * | Tableau | `env` (required, default `tableau_prod`), `siteUrl`, `siteName` | no `env` / `siteUrl`: `siteName` (from `siteUrl` when unset) |
 * | Snowflake | `includeTempTables` | `includeTransientTables` |
 * | BigQuery credentials | `gcsConfig` | `gcpConfig` |
 *
 * Sources: the vendored schema sets (schemas/README.md): 1.0.4 `api/data/createTable.json`
 * (`viewDefinition`), `tableauConnection.json` (`env` required, `additionalProperties: false`),
 * `snowflakeConnection.json`, `security/credentials/gcsCredentials.json`; 1.13 `createTable.json`
 * (`schemaDefinition`), `tableauConnection.json` (no `env` / `siteUrl`), `snowflakeConnection.json`
 * (`includeTransientTables`), `security/credentials/gcpCredentials.json` (`gcpConfig` required). A 1.13
 * server deserialises `connection.config` into its strict Java class and answers 400 on an unknown field.
 */
import type { UpsertRequest } from '../model/entities.js';

export type DialectName = 'openmetadata-1.0' | 'openmetadata-1.13';

/** The newest dialect, for unknown newer versions and for sinks without a server (file). */
export const NEWEST_DIALECT: DialectName = 'openmetadata-1.13';

/**
 * The dialect of a server version (`1.0.4`, `1.13.4`, `2.0.0`, `1.13.4-SNAPSHOT`): 1.0.x speaks
 * `openmetadata-1.0`; every later or unparsable version gets the newest.
 */
export function dialectFor(version: string): DialectName {
  const parsed = parseVersion(version);
  if (parsed && parsed[0] === 1 && parsed[1] === 0) return 'openmetadata-1.0';
  if (parsed && parsed[0] < 1) return 'openmetadata-1.0';
  return NEWEST_DIALECT;
}

/** `[major, minor, patch]` of a version string, or undefined when it does not start with digits. */
export function parseVersion(version: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** Whether `version` is at least `[major, minor, patch]`; an unparsable version counts as newest. */
export function versionAtLeast(version: string, min: readonly [number, number, number]): boolean {
  const v = parseVersion(version);
  if (!v) return true;
  for (let i = 0; i < 3; i++) if (v[i]! !== min[i]!) return v[i]! > min[i]!;
  return true;
}

/** The request with its body in `dialect`; the same object when nothing changes. */
export function toDialect(dialect: DialectName, request: UpsertRequest): UpsertRequest {
  const body = rewrite(dialect, request);
  return body === request.body ? request : { ...request, body };
}

function rewrite(dialect: DialectName, request: UpsertRequest): Readonly<Record<string, unknown>> {
  const body = request.body;
  switch (request.kind) {
    case 'table':
      if (dialect === 'openmetadata-1.0' && body.schemaDefinition !== undefined) {
        const { schemaDefinition, ...rest } = body;
        return { ...rest, viewDefinition: schemaDefinition };
      }
      if (dialect !== 'openmetadata-1.0' && body.viewDefinition !== undefined) {
        const { viewDefinition, ...rest } = body;
        return { ...rest, schemaDefinition: viewDefinition };
      }
      return body;
    case 'databaseService':
    case 'dashboardService': {
      const connection = body.connection as { config?: Record<string, unknown> } | undefined;
      const config = connection?.config;
      if (config === undefined) return body;
      const next = rewriteConnection(dialect, config);
      return next === config ? body : { ...body, connection: { ...connection, config: next } };
    }
    default:
      return body;
  }
}

function rewriteConnection(dialect: DialectName, config: Record<string, unknown>): Record<string, unknown> {
  const old = dialect === 'openmetadata-1.0';
  switch (config.type) {
    case 'Tableau': {
      const { env, siteUrl, ...rest } = config;
      if (old) return { ...rest, env: env ?? 'tableau_prod', ...(siteUrl === undefined ? {} : { siteUrl }) };
      // 1.13 names the site by its contentUrl in `siteName`; a 1.0-style `siteUrl` carries the same value.
      if (rest.siteName === undefined && typeof siteUrl === 'string' && siteUrl !== '') rest.siteName = siteUrl;
      return rest;
    }
    case 'Snowflake':
      return renameKey(
        config,
        old ? 'includeTransientTables' : 'includeTempTables',
        old ? 'includeTempTables' : 'includeTransientTables',
      );
    case 'BigQuery': {
      const credentials = config.credentials as Record<string, unknown> | undefined;
      if (credentials === undefined) return config;
      const next = renameKey(credentials, old ? 'gcpConfig' : 'gcsConfig', old ? 'gcsConfig' : 'gcpConfig');
      return next === credentials ? config : { ...config, credentials: next };
    }
    default:
      return config;
  }
}

/** A copy with `from` renamed to `to` (when `to` is not set already), or the same object. */
function renameKey(obj: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  if (!(from in obj)) return obj;
  const { [from]: value, ...rest } = obj;
  return to in rest ? rest : { ...rest, [to]: value };
}
