import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'argo-ingest-validate-'));

function config(distributed: string, extraSource = ''): string {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    `source:
  type: Postgres
  serviceName: warehouse_pg
  serviceConnection:
    config:
      type: Postgres
      hostPort: db:5432
      username: ingest
      password: \${PG_PASSWORD}
      database: warehouse
  sourceConfig:
    config:
      type: DatabaseMetadata
      includeTags: true
${extraSource}sink:
  type: metadata-rest
  config: {}
workflowConfig:
  openMetadataServerConfig:
    hostPort: http://openmetadata:8585/api
    authProvider: openmetadata
    securityConfig:
      jwtToken: \${OM_JWT_TOKEN}
${distributed}`,
  );
  return file;
}

describe('argo-ingest validate', () => {
  it('prints the Argo plan: pipeline name, shards, pods, Secret sources and ignored keys', async () => {
    const file = config(`  distributedExecution:
    enabled: true
    orchestrator: argo
    parallelism: 10
    namespace: metadata
    schedule: "0 2 * * *"
    secrets:
      variables:
        OM_JWT_TOKEN: {secret: openmetadata-bot, key: token}
`);
    const { code, stdout, stderr } = await runCli(['validate', '-c', file]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('DISTRIBUTED on Argo Workflows');
    expect(stdout).toContain('warehouse-pg in namespace metadata');
    expect(stdout).toContain('up to 20 (parallelism x shardFactor)');
    expect(stdout).toContain('at most 22 per run');
    expect(stdout).toContain('${PG_PASSWORD} <- Secret warehouse-pg-credentials, key PG_PASSWORD');
    expect(stdout).toContain('${OM_JWT_TOKEN} <- Secret openmetadata-bot, key token');
    expect(stdout).toContain('"0 2 * * *" (UTC), concurrencyPolicy Forbid');
    expect(stdout).toMatch(/ignored[^\n]*\n\s+source\.sourceConfig\.config\.includeTags/);
  });

  it('says SEQUENTIAL when distributedExecution is omitted, and which variables the environment lacks', async () => {
    const file = config('');
    const { code, stdout } = await runCli(['validate', '-c', file], {
      PG_PASSWORD: 'marker-3f9a',
      OM_JWT_TOKEN: undefined,
    });
    expect(code).toBe(0);
    expect(stdout).toContain('SEQUENTIAL');
    expect(stdout).toContain('${PG_PASSWORD} <- environment (set)');
    expect(stdout).toMatch(/\$\{OM_JWT_TOKEN\} <- environment \(NOT SET/);
    expect(stdout).not.toContain('marker-3f9a');
  });

  it('prints JSON with --output json', async () => {
    const file = config(`  distributedExecution:
    enabled: true
    orchestrator: local
    parallelism: 4
`);
    const { code, stdout } = await runCli(['validate', '-c', file, '--output', 'json']);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as { mode: string; parallelism: number; maxShards: number; ignoredKeys: string[] };
    expect(plan).toMatchObject({ mode: 'local', parallelism: 4, maxShards: 8 });
    expect(plan.ignoredKeys).toEqual(['source.sourceConfig.config.includeTags']);
    // The REST sink's dialect and table mode depend on the server: validate says how they are chosen.
    const { sinkMode } = JSON.parse(stdout) as { sinkMode: { dialect: string; tables: string } };
    expect(sinkMode.dialect).toMatch(
      /^decided at run time from GET \/v1\/system\/version: openmetadata-1\.0 for 1\.0\.x/,
    );
    expect(sinkMode.tables).toContain('in bulk (PUT /v1/tables/bulk, one request per batch of chunkSize) from 1.13.4');
  });

  it('warns, without failing, when the OpenMetadata hostPort lacks /api', async () => {
    const file = config('');
    writeFileSync(file, readFileSync(file, 'utf8').replace('8585/api', '8585'));
    const { code, stdout } = await runCli(['validate', '-c', file]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      'warning: workflowConfig.openMetadataServerConfig.hostPort (http://openmetadata:8585) does not end in /api',
    );
    const ok = await runCli(['validate', '-c', config('')]);
    expect(ok.stdout).not.toContain('warning:');
    // Userinfo in hostPort is never printed.
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('http://openmetadata:8585', 'http://om-user:om-secret-77@openmetadata:8585'),
    );
    const withUserinfo = await runCli(['validate', '-c', file]);
    expect(withUserinfo.stdout).toContain('hostPort (http://openmetadata:8585) does not end in /api');
    expect(withUserinfo.stdout).not.toContain('om-secret-77');
  });

  it('refuses an unknown --output format with exit 2', async () => {
    const file = config('');
    const { code, stderr } = await runCli(['validate', '-c', file, '--output', 'xml']);
    expect(code).toBe(2);
    expect(stderr).toContain('--output must be "text" or "json"');
  });

  it('names a missing file and exits 2', async () => {
    const { code, stderr } = await runCli(['validate', '-c', join(dir, 'nope.yaml')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/nope\.yaml: file not found/);
  });
});
