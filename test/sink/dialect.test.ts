import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/util/logger.js';
import { NEWEST_DIALECT, dialectFor, toDialect, versionAtLeast } from '../../src/sink/dialect.js';
import { OpenMetadataSink } from '../../src/sink/rest.js';
import type { UpsertRequest } from '../../src/sources/contract.js';
import { validateCreate, validateEverywhere } from '../support/om-schemas.js';
import { startOmServer } from '../support/om-server.js';
import { table } from './fixtures.js';

function service(kind: 'databaseService' | 'dashboardService', config: Record<string, unknown>): UpsertRequest {
  const serviceType = String(config.type);
  return { kind, fqn: 'svc', body: { name: 'svc', serviceType, connection: { config } } };
}

const TABLEAU = service('dashboardService', {
  type: 'Tableau',
  hostPort: 'https://tableau.example.com',
  apiVersion: '3.19',
  env: 'tableau_prod',
  siteUrl: 'marketing',
});
const SNOWFLAKE = service('databaseService', {
  type: 'Snowflake',
  username: 'ingest',
  account: 'xy12345',
  warehouse: 'COMPUTE_WH',
  includeTempTables: false,
});
const BIGQUERY_104 = service('databaseService', {
  type: 'BigQuery',
  credentials: { gcsConfig: { type: 'service_account', projectId: 'acme', clientEmail: 'ingest@acme.iam' } },
});
const BIGQUERY_CURRENT = service('databaseService', {
  type: 'BigQuery',
  credentials: { gcpConfig: { type: 'service_account', projectId: 'acme', clientEmail: 'ingest@acme.iam' } },
});
const VIEW: UpsertRequest = (() => {
  const t = table('v_orders');
  return { ...t, body: { ...t.body, tableType: 'View', schemaDefinition: 'SELECT id FROM orders' } };
})();

describe('body dialects', () => {
  it('chooses openmetadata-1.0 for 1.0.x and the newest dialect for 1.1 and later, 2.0 and unknown versions', () => {
    expect(dialectFor('1.0.4')).toBe('openmetadata-1.0');
    expect(dialectFor('1.0.0-SNAPSHOT')).toBe('openmetadata-1.0');
    expect(dialectFor('1.13.4')).toBe('openmetadata-1.13');
    expect(dialectFor('2.0.0')).toBe('openmetadata-1.13');
    expect(dialectFor('7.1.0')).toBe(NEWEST_DIALECT);
    expect(dialectFor('nightly')).toBe(NEWEST_DIALECT);
    expect(versionAtLeast('1.13.4', [1, 13, 4])).toBe(true);
    expect(versionAtLeast('1.13.3', [1, 13, 4])).toBe(false);
    expect(versionAtLeast('1.9.12', [1, 13, 4])).toBe(false);
    expect(versionAtLeast('2.0.0-SNAPSHOT', [1, 13, 4])).toBe(true);
  });

  it('sends view SQL as viewDefinition to 1.0.x and as schemaDefinition to current servers', () => {
    expect(toDialect('openmetadata-1.0', VIEW).body).toMatchObject({ viewDefinition: 'SELECT id FROM orders' });
    expect(toDialect('openmetadata-1.0', VIEW).body).not.toHaveProperty('schemaDefinition');
    expect(toDialect('openmetadata-1.13', VIEW).body).toMatchObject({ schemaDefinition: 'SELECT id FROM orders' });
    expect(toDialect('openmetadata-1.13', VIEW).body).not.toHaveProperty('viewDefinition');
    const plain = table('orders');
    expect(toDialect('openmetadata-1.0', plain)).toBe(plain);
  });

  it('rewrites the Tableau, Snowflake and BigQuery connections per version', () => {
    const config = (r: UpsertRequest) => (r.body.connection as { config: Record<string, unknown> }).config;
    expect(config(toDialect('openmetadata-1.13', TABLEAU))).toEqual({
      type: 'Tableau',
      hostPort: 'https://tableau.example.com',
      apiVersion: '3.19',
      siteName: 'marketing',
    });
    expect(config(toDialect('openmetadata-1.0', TABLEAU))).toMatchObject({ env: 'tableau_prod', siteUrl: 'marketing' });
    expect(config(toDialect('openmetadata-1.13', SNOWFLAKE))).toMatchObject({ includeTransientTables: false });
    expect(config(toDialect('openmetadata-1.13', SNOWFLAKE))).not.toHaveProperty('includeTempTables');
    expect(config(toDialect('openmetadata-1.0', SNOWFLAKE))).toMatchObject({ includeTempTables: false });
    expect(config(toDialect('openmetadata-1.13', BIGQUERY_104)).credentials).toHaveProperty('gcpConfig');
    expect(config(toDialect('openmetadata-1.0', BIGQUERY_CURRENT)).credentials).toHaveProperty('gcsConfig');
  });

  it('makes bodies that fail a version as they are valid for it once rewritten (both schema sets)', () => {
    for (const request of [TABLEAU, SNOWFLAKE, BIGQUERY_104, BIGQUERY_CURRENT, VIEW]) {
      expect(validateEverywhere(request), `${request.kind} ${String(request.body.serviceType ?? 'view')}`).toEqual([]);
    }
    // Unrewritten, the 1.0-style connections are what a 1.13 server answers with 400, and the other way round.
    expect(validateCreate(TABLEAU.kind, TABLEAU.body, '1.13').join()).toContain("additional properties 'env'");
    expect(validateCreate(SNOWFLAKE.kind, SNOWFLAKE.body, '1.13').join()).toContain('includeTempTables');
    expect(validateCreate(BIGQUERY_104.kind, BIGQUERY_104.body, '1.13')).not.toEqual([]);
    expect(validateCreate(BIGQUERY_CURRENT.kind, BIGQUERY_CURRENT.body, '1.0.4')).not.toEqual([]);
    expect(validateCreate('table', VIEW.body, '1.0.4').join()).toContain('schemaDefinition');
  });

  it('reaches a server of either version through the sink, which a raw 1.0-style body does not on 1.13', async () => {
    for (const version of ['1.0.4', '1.13.4']) {
      const om = await startOmServer({ token: 't0k3n', version });
      try {
        const sink = new OpenMetadataSink({
          hostPort: om.url,
          token: 't0k3n',
          retryPolicy: { maxAttempts: 1, backoffSeconds: 0, backoffFactor: 1, maxBackoffSeconds: 0 },
          logger: createLogger('ERROR', () => {}),
        });
        await sink.check();
        for (const request of [TABLEAU, SNOWFLAKE, BIGQUERY_104, BIGQUERY_CURRENT]) {
          await expect(sink.upsert(request), `${version} ${String(request.body.serviceType)}`).resolves.toBeDefined();
        }
        const raw = await fetch(`${om.url}/v1/services/dashboardServices`, {
          method: 'PUT',
          headers: { authorization: 'Bearer t0k3n', 'content-type': 'application/json' },
          body: JSON.stringify(TABLEAU.body),
        });
        expect(raw.status, version).toBe(version === '1.0.4' ? 200 : 400);
        expect(om.invalidBodies.length, version).toBe(version === '1.0.4' ? 0 : 1);
        await sink.close();
      } finally {
        await om.close();
      }
    }
  });
});
