import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONNECTION_FILES,
  OUTPUT,
  PIPELINE_FILES,
  renderGeneratedModule,
} from '../../scripts/generate-openmetadata-keys.js';
import {
  CONNECTION_KEYS,
  CONNECTION_SECRET_PATHS,
  SOURCE_CONFIG_KEYS,
} from '../../src/config/generated/openmetadata-keys.js';
import { CONNECTORS } from '../../src/sources/registry.js';
import { connectionKeysActedOn } from '../../src/config/connections/common.js';

const SCHEMAS = join(import.meta.dirname, '../../schemas');
const VERSIONS = readdirSync(SCHEMAS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

type Json = Record<string, unknown>;

/** The schema at `file` in every vendored version that has it. */
function vendored(file: string): { version: string; schema: Json }[] {
  return VERSIONS.flatMap((version) => {
    try {
      return [{ version, schema: JSON.parse(readFileSync(join(SCHEMAS, version, file), 'utf8')) as Json }];
    } catch {
      return [];
    }
  });
}

describe('OpenMetadata keys generated from the vendored schemas', () => {
  it('the committed module is what the generator produces from schemas/ today', () => {
    // Fails after a vendored schema changes until `npm run generate:om-keys` is run and committed.
    expect(readFileSync(OUTPUT, 'utf8')).toBe(renderGeneratedModule());
  });

  it.each(Object.entries(CONNECTION_FILES))(
    '%s: every key of every vendored connection schema is known',
    (type, file) => {
      const versions = vendored(file);
      expect(versions.length).toBeGreaterThan(0);
      for (const { schema } of versions) {
        expect(CONNECTION_KEYS[type]).toEqual(expect.arrayContaining(Object.keys(schema.properties as Json)));
      }
    },
  );

  it.each(Object.entries(PIPELINE_FILES))('%s: every key of every vendored pipeline schema is known', (type, file) => {
    for (const { schema } of vendored(file)) {
      expect(SOURCE_CONFIG_KEYS[type]).toEqual(expect.arrayContaining(Object.keys(schema.properties as Json)));
    }
  });

  it.each(Object.entries(CONNECTION_FILES))('%s: every top-level format: password field is a secret', (type, file) => {
    for (const { schema } of vendored(file)) {
      const passwords = Object.entries(schema.properties as Record<string, Json>)
        .filter(([, p]) => p.format === 'password')
        .map(([k]) => k);
      expect(CONNECTION_SECRET_PATHS[type]).toEqual(expect.arrayContaining(passwords));
    }
  });

  it('covers every connector argo-ingest has', () => {
    expect(Object.keys(CONNECTION_FILES).sort()).toEqual(CONNECTORS.map((c) => c.sourceType).sort());
  });

  it('acts on keys OpenMetadata does not define only where argo-ingest adds them on purpose', () => {
    // Each: why argo-ingest has the key. A key OpenMetadata later defines must leave this list.
    const additions: Record<string, string[]> = {
      // Requests in flight to the vendor per source (dashboard connectors).
      looker: ['maxConcurrentRequests'],
      metabase: ['maxConcurrentRequests'],
      superset: ['maxConcurrentRequests'],
      tableau: ['maxConcurrentRequests'],
      // authType: {password}, the password form of OpenMetadata's other SQL connections, accepted for
      // consistency next to `password` (which these two schemas use).
      mssql: ['authType'],
      oracle: ['authType'],
      // 1.0's spelling of 1.13's apiURL (both accepted), and the request limit.
      powerbi: ['apiUrl', 'maxConcurrentRequests'],
    };
    for (const { sourceType } of CONNECTORS) {
      const own = connectionKeysActedOn(sourceType);
      expect(own.length, sourceType).toBeGreaterThan(0);
      expect(own.filter((k) => !CONNECTION_KEYS[sourceType]!.includes(k)).sort(), sourceType).toEqual(
        (additions[sourceType] ?? []).sort(),
      );
    }
  });

  it('knows the keys that OpenMetadata 1.13 added (examples from its schemas)', () => {
    expect(CONNECTION_KEYS.snowflake).toEqual(expect.arrayContaining(['includeStreams', 'includeStages']));
    expect(CONNECTION_KEYS.mssql).toEqual(expect.arrayContaining(['encrypt', 'trustServerCertificate', 'sslConfig']));
    expect(CONNECTION_KEYS.oracle).toEqual(expect.arrayContaining(['databaseName', 'useDBATable']));
    expect(CONNECTION_SECRET_PATHS.bigquery).not.toContain('credentials.gcpConfig.clientX509CertUrl');
  });
});
