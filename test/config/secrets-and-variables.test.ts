import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfigText, resolveConfig } from '../../src/config/load.js';
import { findLiteralSecrets } from '../../src/config/secrets.js';
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
  it('finds literal values in secret-like fields at any depth, including inside credential objects', () => {
    const found = findLiteralSecrets({
      a: { password: 'x', token: '${T}', username: 'plain' },
      b: [{ clientSecret: 'literal' }],
      credentials: { gcpConfig: { type: 'service_account', privateKey: 'k', privateKeyId: 'i', clientEmail: 'e' } },
    });
    // type and clientEmail describe the credential; they are not secret.
    expect(found.map((f) => f.path).sort()).toEqual([
      'a.password',
      'b.0.clientSecret',
      'credentials.gcpConfig.privateKey',
      'credentials.gcpConfig.privateKeyId',
    ]);
  });

  it('refuses text around a placeholder in a secret field', () => {
    expect(findLiteralSecrets({ password: 'pre-${P}' })).toEqual([{ path: 'password' }]);
    expect(findLiteralSecrets({ password: '${A}${B}' })).toEqual([]);
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
