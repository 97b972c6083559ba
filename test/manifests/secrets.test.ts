/** DESIGN.md "Argo shape" 8: secrets never reach a manifest; literal secrets are refused, naming the field. */
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';
import { synthPipelineFiles, synthPipelineObjects } from '../../src/manifests/index.js';
import { synthExampleFiles } from '../../src/app.js';
import { baseConfig, byKind, loadObject, templateSpec } from './fixtures.js';

const MARKERS: Record<string, string> = {
  PG_HOST_PORT: 'MARKER-host-7f3a',
  PG_USER: 'MARKER-user-19bc',
  PG_PASSWORD: 'MARKER-pw-$ecret',
  OM_JWT_TOKEN: 'MARKER-jwt-eyJhbGciOi',
  POSTGRES_PASSWORD: 'MARKER-pw2-c0ffee',
  SNOWFLAKE_PASSWORD: 'MARKER-sf-d00d',
  LOOKER_CLIENT_SECRET: 'MARKER-looker-beef',
  LOOKER_CLIENT_ID: 'MARKER-looker-id',
};
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('with secret values in the environment', () => {
  it('no value appears in any synthesized file or in dist/', () => {
    Object.assign(process.env, MARKERS);
    const outputs = [
      ...synthPipelineFiles(
        loadObject(baseConfig({ secrets: { variables: { PG_PASSWORD: { secret: 'pg', key: 'pw' } } } })),
      ),
      ...synthExampleFiles(),
    ].map((f) => f.content);
    expect(outputs.length).toBeGreaterThan(10);
    const all = outputs.join('\n');
    expect(all).toContain('${PG_PASSWORD}'); // the placeholders are there ...
    for (const marker of Object.values(MARKERS)) expect(all).not.toContain(marker); // ... the values are not
    expect(all).not.toContain('MARKER');
  });
});

describe('where pods get the variables', () => {
  it('reads every variable from <name>-credentials by default (envFrom)', () => {
    const spec = templateSpec(synthPipelineObjects(loadObject(baseConfig())));
    for (const t of spec.templates.filter((t) => t.container)) {
      expect(t.container!.envFrom).toEqual([{ secretRef: { name: 'warehouse-pg-credentials' } }]);
      expect(t.container!.env).toBeUndefined();
    }
  });

  it('reads a mapped variable from its Secret and key, and the rest from a renamed default Secret', () => {
    const objects = synthPipelineObjects(
      loadObject(
        baseConfig({
          secrets: { name: 'shared', variables: { PG_PASSWORD: { secret: 'pg-admin', key: 'password' } } },
        }),
      ),
    );
    const container = templateSpec(objects).templates.find((t) => t.name === 'process-shard')!.container!;
    expect(container.envFrom).toEqual([{ secretRef: { name: 'shared' } }]);
    expect(container.env).toEqual([
      { name: 'PG_PASSWORD', valueFrom: { secretKeyRef: { name: 'pg-admin', key: 'password' } } },
    ]);
    expect(byKind(objects, 'Secret')).toEqual([]);
  });

  it('refuses a mapping for a variable the config never uses', () => {
    expect(() =>
      synthPipelineObjects(
        loadObject(baseConfig({ secrets: { variables: { PG_PASWORD: { secret: 'pg', key: 'pw' } } } })),
      ),
    ).toThrow(/secrets\.variables\.PG_PASWORD: maps \$\{PG_PASWORD\}, but the config never refers to it/);
  });

  it('keeps the placeholders in the ConfigMap', () => {
    const [configMap] = byKind(synthPipelineObjects(loadObject(baseConfig())), 'ConfigMap');
    const text = (configMap!.data as Record<string, string>)['config.yaml']!;
    expect(text).toContain('password: ${PG_PASSWORD}');
    expect(text).toContain('jwtToken: ${OM_JWT_TOKEN}');
  });
});

describe('a literal secret in the config', () => {
  const withLiteral = (path: string[], value: string) => {
    const config = baseConfig();
    let node = config as Record<string, unknown>;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
    node[path.at(-1)!] = value;
    return config;
  };

  it.each([
    [['source', 'serviceConnection', 'config', 'authType', 'password'], 'hunter2'],
    [['workflowConfig', 'openMetadataServerConfig', 'securityConfig', 'jwtToken'], 'eyJraWQiOi.literal'],
  ])('is refused with its path: %j', (path, value) => {
    const error = (() => {
      try {
        loadObject(withLiteral(path, value));
      } catch (e) {
        return e as Error;
      }
      throw new Error('accepted a literal secret');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(`${path.join('.')}: holds a literal secret`);
    expect(error.message).not.toContain(value);
  });

  it('is refused for a Looker clientSecret', () => {
    const text = [
      'source:',
      '  type: looker',
      '  serviceName: looker',
      '  serviceConnection:',
      '    config: {type: Looker, clientId: abc, clientSecret: s3cr3t-literal, hostPort: "https://looker.example.com"}',
      '  sourceConfig: {config: {type: DashboardMetadata}}',
      'sink: {type: metadata-rest, config: {}}',
      'workflowConfig:',
      '  openMetadataServerConfig: {hostPort: "http://om:8585/api", securityConfig: {jwtToken: "${T}"}}',
      '  distributedExecution: {enabled: true}',
    ].join('\n');
    expect(() => parseConfigText(text, 'looker.yaml')).toThrow(
      /looker\.yaml:5: source\.serviceConnection\.config\.clientSecret: holds a literal secret/,
    );
  });

  it('is refused by synthesis itself, even when a caller skips the loader', () => {
    const loaded = loadObject(baseConfig());
    const forged = {
      ...loaded,
      raw: withLiteral(['source', 'serviceConnection', 'config', 'authType', 'password'], 'hunter2'),
    };
    expect(() => synthPipelineObjects(forged)).toThrow(
      /source\.serviceConnection\.config\.authType\.password: holds a literal secret/,
    );
  });
});
