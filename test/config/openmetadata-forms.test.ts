/**
 * OpenMetadata connection forms: keys OpenMetadata defines are accepted (those not acted on are listed),
 * keys no version defines are errors with a did-you-mean, and forms argo-ingest does not support are
 * refused in one sentence naming the supported form.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError, type ConfigIssue } from '../../src/config/errors.js';
import { parseConfigText } from '../../src/config/load.js';
import type { MssqlConnection } from '../../src/config/connections/mssql.js';
import { mssqlTls } from '../../src/config/connections/mssql.js';
import type { PowerbiConnection } from '../../src/config/connections/powerbi.js';

const C = 'source.serviceConnection.config';

function config(type: string, connection: Record<string, unknown>, kind = 'DatabaseMetadata'): string {
  return stringify({
    source: {
      type,
      serviceName: 'svc',
      serviceConnection: { config: connection },
      sourceConfig: { config: { type: kind } },
    },
    sink: { type: 'metadata-rest', config: {} },
    workflowConfig: { openMetadataServerConfig: { hostPort: 'http://om:8585/api', authProvider: 'no-auth' } },
  });
}

function issues(text: string): ConfigIssue[] {
  try {
    parseConfigText(text, 'c.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  return [];
}

const snowflake = { type: 'Snowflake', username: 'u', password: '${P}', account: 'a', warehouse: 'w' };
const postgres = { type: 'Postgres', username: 'u', hostPort: 'db:5432', database: 'd' };

describe('keys OpenMetadata defines', () => {
  it('accepts a key only OpenMetadata 1.13 defines and lists it as not acted on', () => {
    const loaded = parseConfigText(config('snowflake', { ...snowflake, includeStreams: false, includeStages: true }));
    expect(loaded.ignoredKeys).toEqual(expect.arrayContaining([`${C}.includeStreams`, `${C}.includeStages`]));
  });

  it('still refuses a key no version defines, with a did-you-mean', () => {
    expect(issues(config('snowflake', { ...snowflake, includeStreamz: false }))).toEqual([
      expect.objectContaining({
        path: `${C}.includeStreamz`,
        message: expect.stringMatching(/did you mean "includeStreams"/),
      }),
    ]);
  });

  it('lists an OpenMetadata sourceConfig key not acted on', () => {
    const text = config(
      'looker',
      { type: 'Looker', clientId: 'c', clientSecret: '${S}', hostPort: 'https://l' },
      'DashboardMetadata',
    ).replace('type: DashboardMetadata', 'type: DashboardMetadata\n      overrideLineage: true');
    expect(parseConfigText(text).ignoredKeys).toContain('source.sourceConfig.config.overrideLineage');
  });

  it('acts on SQL Server 1.13 top-level encrypt / trustServerCertificate, refusing both forms at once', () => {
    const mssql = { type: 'Mssql', username: 'u', password: '${P}', hostPort: 'db:1433' };
    const loaded = parseConfigText(config('mssql', { ...mssql, encrypt: false, trustServerCertificate: true }));
    const connection = loaded.config.source.serviceConnection.config as MssqlConnection;
    expect(mssqlTls(connection)).toEqual({ encrypt: false, trustServerCertificate: true });
    expect(issues(config('mssql', { ...mssql, encrypt: false, connectionOptions: { encrypt: 'yes' } }))).toEqual([
      expect.objectContaining({ path: `${C}.encrypt`, message: expect.stringMatching(/not both/) }),
    ]);
  });

  it("acts on Power BI 1.13's apiURL", () => {
    const powerbi = { type: 'PowerBI', clientId: 'c', clientSecret: '${S}', tenantId: 't' };
    const loaded = parseConfigText(
      config('powerbi', { ...powerbi, apiURL: 'https://api.powerbigov.us' }, 'DashboardMetadata'),
    );
    expect((loaded.config.source.serviceConnection.config as PowerbiConnection).apiUrl).toBe(
      'https://api.powerbigov.us',
    );
  });
});

describe('forms argo-ingest does not support: one sentence naming the supported form', () => {
  it("Superset's metadata database form", () => {
    const superset = {
      type: 'Superset',
      hostPort: 'http://superset:8088',
      connection: {
        type: 'Postgres',
        username: 'superset',
        authType: { password: '${P}' },
        hostPort: 'db:5432',
        database: 'superset',
      },
    };
    expect(issues(config('superset', superset, 'DashboardMetadata'))).toEqual([
      {
        path: `${C}.connection.type`,
        line: expect.any(Number),
        message:
          "reading Superset's metadata database (connection.type: Postgres) is not supported; use Superset's " +
          'REST API form instead: connection: {provider: db, username: ..., password: ${VAR}}',
      },
    ]);
  });

  it.each([
    [
      'awsConfig',
      { awsConfig: { awsRegion: 'eu-west-1' } },
      /AWS IAM authentication .* use authType: \{password: \$\{VAR\}\}/,
    ],
    [
      'azureConfig',
      { azureConfig: { clientId: 'x' } },
      /Azure AD authentication .* use authType: \{password: \$\{VAR\}\}/,
    ],
  ])('database IAM login (%s)', (key, authType, message) => {
    expect(issues(config('postgres', { ...postgres, authType }))).toEqual([
      expect.objectContaining({ path: `${C}.authType.${key}`, message: expect.stringMatching(message) }),
    ]);
  });

  it('BigQuery credentials other than a service account key', () => {
    const bigquery = { type: 'BigQuery', credentials: { gcpConfig: { type: 'gcp_adc', projectId: 'p' } } };
    expect(issues(config('bigquery', bigquery))).toEqual([
      expect.objectContaining({
        path: `${C}.credentials.gcpConfig.type`,
        message: expect.stringMatching(/^credentials of type "gcp_adc" are not supported; use a service account key/),
      }),
    ]);
  });

  it('Tableau credentials at the top level (before OpenMetadata 1.0)', () => {
    const tableau = {
      type: 'Tableau',
      hostPort: 'https://t',
      personalAccessTokenName: 'n',
      authType: { username: 'u', password: '${P}' },
    };
    expect(issues(config('tableau', tableau, 'DashboardMetadata'))).toEqual([
      expect.objectContaining({
        path: `${C}.personalAccessTokenName`,
        message: expect.stringMatching(/^Tableau credentials go under authType/),
      }),
    ]);
  });
});
