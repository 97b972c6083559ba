import type { BigQueryOptions } from '@google-cloud/bigquery';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { BigqueryConnection } from '../../../src/config/connections/bigquery.js';
import { bigqueryApiEndpoint, bigqueryClientOptions, bigqueryProjects } from '../../../src/sources/bigquery/options.js';
import { parsedConnection } from '../../support/sql-source-helpers.js';

function parsed(
  credentials: Record<string, unknown>,
  env: Record<string, string> = {},
  hostPort?: string,
): BigqueryConnection {
  return parsedConnection('bigquery', { type: 'BigQuery', credentials, ...(hostPort ? { hostPort } : {}) }, env);
}

describe('BigQuery client options', () => {
  it("are typed as @google-cloud/bigquery's own BigQueryOptions", () => {
    expectTypeOf(bigqueryClientOptions).returns.toEqualTypeOf<BigQueryOptions>();
  });

  it('use https://bigquery.googleapis.com by default and keep an explicit URL', () => {
    expect(bigqueryClientOptions(parsed({ gcsConfig: { projectId: 'p' } })).apiEndpoint).toBe(
      'https://bigquery.googleapis.com',
    );
    expect(bigqueryApiEndpoint('bq.internal.example.com/')).toBe('https://bq.internal.example.com');
    expect(bigqueryApiEndpoint('http://127.0.0.1:9050')).toBe('http://127.0.0.1:9050');
  });

  it('pass service-account values as credentials, restoring the newlines of a one-line private key', () => {
    const options = bigqueryClientOptions(
      parsed(
        {
          gcpConfig: {
            type: 'service_account',
            projectId: ['p1', 'p2'],
            clientEmail: 'sa@p1.iam.gserviceaccount.com',
            privateKey: '${KEY}',
          },
        },
        { KEY: '-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----\\n' },
      ),
    );
    expect(options).toMatchObject({
      projectId: 'p1',
      credentials: {
        type: 'service_account',
        client_email: 'sa@p1.iam.gserviceaccount.com',
        private_key: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n',
      },
    });
  });

  it('ingest every project of a projectId list, or the key file project when none is given', () => {
    expect(bigqueryProjects(parsed({ gcsConfig: { projectId: ['a', 'b'] } }))).toEqual(['a', 'b']);
    expect(bigqueryProjects(parsed({ gcsConfig: { projectId: 'a' } }))).toEqual(['a']);
    const fromFile = parsed({ gcsConfig: '${KEY_FILE}' }, { KEY_FILE: '/var/run/secrets/gcp/key.json' });
    expect(bigqueryProjects(fromFile)).toBeUndefined();
    expect(bigqueryClientOptions(fromFile)).toMatchObject({ keyFilename: '/var/run/secrets/gcp/key.json' });
  });

  it('reject credentials with both or neither of gcsConfig and gcpConfig', () => {
    expect(() => parsed({})).toThrow(/credentials\.gcsConfig.*exactly one of "gcsConfig".*"gcpConfig"/s);
    expect(() => parsed({ gcsConfig: { projectId: 'a' }, gcpConfig: { projectId: 'a' } })).toThrow(/exactly one/);
  });
});
