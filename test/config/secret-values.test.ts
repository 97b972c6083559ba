/**
 * Values that come from Secrets never reach the output: a DSN pasted into hostPort, a secret that is
 * empty. Both end the run at once with one clear line.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'argo-ingest-secret-values-'));
/** The local PostgreSQL example with a file sink (no OpenMetadata server to reach). */
const EXAMPLE = join(dir, 'postgres-file.yaml');
writeFileSync(
  EXAMPLE,
  readFileSync(join(root, 'examples', 'postgres-local.yaml'), 'utf8').replace(
    'sink:\n  type: metadata-rest\n  config: {}',
    `sink:\n  type: file\n  config:\n    filename: ${join(dir, 'out.jsonl')}`,
  ),
);
const MARKER = 'pw-MARKER-93ab1';
const ENV = {
  POSTGRES_HOST_PORT: '127.0.0.1:1',
  POSTGRES_USER: 'ingest',
  POSTGRES_PASSWORD: MARKER,
  POSTGRES_DATABASE: 'shop',
  OPENMETADATA_HOST_PORT: 'http://127.0.0.1:1/api',
  OM_JWT_TOKEN: 'jwt-MARKER-77',
};

describe('secrets in values', () => {
  it('never echoes a DSN pasted into hostPort (its password included)', async () => {
    const started = Date.now();
    const result = await runCli(['run', '-c', EXAMPLE], {
      ...ENV,
      POSTGRES_HOST_PORT: `postgres://ingest:${MARKER}@pg-secret-host.internal:5432/shop`,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.code).not.toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).toContain('hostPort (a connection URL with a user name and password');
    expect(output).not.toContain(MARKER);
    expect(output).not.toContain('pg-secret-host');
    expect(readdirSync(dir)).toEqual(['postgres-file.yaml']);
  });

  it('says that an empty ${VAR} password is empty and exits at once (exit 2)', async () => {
    const started = Date.now();
    const result = await runCli(['run', '-c', EXAMPLE], { ...ENV, POSTGRES_PASSWORD: '' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(
      'source.serviceConnection.config.authType.password: environment variable POSTGRES_PASSWORD is empty',
    );
    expect(result.stderr).not.toContain('must be a string');
  });
});
