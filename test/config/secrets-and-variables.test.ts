import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfigText, resolveConfig } from '../../src/config/load.js';
import { findLiteralSecrets, secretFieldPaths } from '../../src/config/secrets.js';
import { MissingVariablesError, collectVariables, substituteVariables } from '../../src/config/substitute.js';

const CONFIG = `source:
  type: postgres
  serviceName: pg
  serviceConnection:
    config:
      hostPort: \${PG_HOST}:5432
      username: ingest
      password: \${PG_PASSWORD}
      database: warehouse
  sourceConfig: {config: {type: DatabaseMetadata}}
sink: {type: metadata-rest, config: {}}
workflowConfig:
  openMetadataServerConfig:
    hostPort: \${OM_URL}
    securityConfig: {jwtToken: '\${OM_TOKEN}'}
`;

describe('secret fields', () => {
  const bigquery = (gcpConfig: Record<string, unknown>) => ({
    source: { type: 'bigquery', serviceConnection: { config: { credentials: { gcpConfig } } } },
  });

  it('refuses a literal in a format: password field, with its path, at any depth', () => {
    const found = findLiteralSecrets({
      source: {
        type: 'postgres',
        serviceConnection: { config: { username: 'plain', authType: { password: 'x' }, sslConfig: { sslKey: 'k' } } },
      },
      workflowConfig: { openMetadataServerConfig: { securityConfig: { jwtToken: 'eyJ' } } },
    });
    expect(found.map((f) => f.path)).toEqual([
      'source.serviceConnection.config.authType.password',
      'source.serviceConnection.config.sslConfig.sslKey',
      'workflowConfig.openMetadataServerConfig.securityConfig.jwtToken',
    ]);
  });

  it("does not treat BigQuery's certificate URLs (format: uri) or the key's id as secrets", () => {
    const found = findLiteralSecrets(
      bigquery({
        type: 'service_account',
        privateKeyId: 'id',
        privateKey: 'literal-key',
        clientEmail: 'e@p.iam.gserviceaccount.com',
        authProviderX509CertUrl: 'https://www.googleapis.com/oauth2/v1/certs',
        clientX509CertUrl: 'https://www.googleapis.com/robot/v1/metadata/x509/e',
      }),
    );
    expect(found).toEqual([{ path: 'source.serviceConnection.config.credentials.gcpConfig.privateKey' }]);
  });

  it('refuses numbers and text around a placeholder; accepts placeholders only', () => {
    const config = (password: unknown) => ({
      source: { type: 'mssql', serviceConnection: { config: { password } } },
    });
    expect(findLiteralSecrets(config('pre-${P}'))).toEqual([{ path: 'source.serviceConnection.config.password' }]);
    expect(findLiteralSecrets(config(1234))).toEqual([{ path: 'source.serviceConnection.config.password' }]);
    expect(findLiteralSecrets(config('${A}${B}'))).toEqual([]);
  });

  it('checks the added fields (mysql sslKey may hold PEM text) and every connector when the type is unknown', () => {
    const mysql = { source: { type: 'mysql', serviceConnection: { config: { sslKey: '-----BEGIN' } } } };
    expect(findLiteralSecrets(mysql)).toEqual([{ path: 'source.serviceConnection.config.sslKey' }]);
    for (const type of ['mssql', 'oracle']) {
      const config = { source: { type, serviceConnection: { config: { authType: { password: 'p' } } } } };
      expect(findLiteralSecrets(config)).toEqual([{ path: 'source.serviceConnection.config.authType.password' }]);
    }
    const unknown = { source: { type: 'nope', serviceConnection: { config: { clientSecret: 's' } } } };
    expect(findLiteralSecrets(unknown)).toEqual([{ path: 'source.serviceConnection.config.clientSecret' }]);
  });

  it('names only fields of the connector in use', () => {
    // clientSecret is a Looker / Power BI secret; Postgres defines no such key (the schema refuses it).
    const config = { source: { type: 'postgres', serviceConnection: { config: { clientSecret: 's' } } } };
    expect(findLiteralSecrets(config)).toEqual([]);
    expect(secretFieldPaths('postgres')).toContain('source.serviceConnection.config.authType.password');
  });
});

describe('variables', () => {
  it('explains that an unquoted ${VAR} inside a flow mapping must be quoted', () => {
    expect(() => parseConfigText('a: {b: ${X}}\n', 'flow.yaml')).toThrow(/quote/);
  });

  it('collects every ${VAR}, sorted and unique', () => {
    expect(collectVariables({ a: '${B}x${A}', b: ['${B}'] })).toEqual(['A', 'B']);
  });

  it('substitutes only the explicit ${VAR} form: a lone $ in a value stays', () => {
    const out = substituteVariables({ p: '${P}', q: 'cost$5 and $HOME', r: '${P}-${P}' }, { P: 'pa$$word' });
    expect(out).toEqual({ p: 'pa$$word', q: 'cost$5 and $HOME', r: 'pa$$word-pa$$word' });
  });

  it('names every missing variable and how to supply it', () => {
    expect(() => substituteVariables({ a: '${X}', b: '${Y}' }, {})).toThrow(MissingVariablesError);
    expect(() => substituteVariables({ a: '${X}', b: '${Y}' }, {})).toThrow(/X, Y are not set.*Export them/);
  });

  it('resolves a loaded config from the environment and re-validates the substituted URL', () => {
    const loaded = parseConfigText(CONFIG, 'pipeline.yaml');
    expect(loaded.variables).toEqual(['OM_TOKEN', 'OM_URL', 'PG_HOST', 'PG_PASSWORD']);
    const env = { PG_HOST: 'db', PG_PASSWORD: 'marker-pw-91c', OM_URL: 'http://om:8585/api', OM_TOKEN: 't' };
    const config = resolveConfig(loaded, env);
    expect(config.source.serviceConnection.config).toMatchObject({ hostPort: 'db:5432', password: 'marker-pw-91c' });
    // The loaded config keeps its placeholders: it is what the ConfigMap holds.
    expect(loaded.text).toContain('${PG_PASSWORD}');
    expect(JSON.stringify(loaded.config)).not.toContain('marker-pw-91c');
  });

  it('rejects a substituted value that is invalid without echoing it', () => {
    const loaded = parseConfigText(CONFIG, 'pipeline.yaml');
    const env = { PG_HOST: 'db', PG_PASSWORD: 'p', OM_URL: 'not a url marker-77', OM_TOKEN: 't' };
    let error: unknown;
    try {
      resolveConfig(loaded, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toContain('workflowConfig.openMetadataServerConfig.hostPort');
    expect(String((error as Error).message)).toContain('after substituting environment variables');
    expect(String((error as Error).message)).not.toContain('marker-77');
  });
});
