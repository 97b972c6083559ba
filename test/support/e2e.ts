/**
 * Set-up shared by the local-mode end-to-end tests (test/e2e/*-local.test.ts): a database server and the
 * OpenMetadata test server started side by side, a temp dir for the configs the tests write, the
 * `workflowConfig` every e2e config ends with, and running `argo-ingest run` in-process.
 *
 *   stack = await startE2eStack({ dirPrefix: 'e2e-mysql-', token: TOKEN, database: () => startMariaDb() });
 *   const file = await stack.writeConfig(`source: ...\n${workflowYaml({ parallelism: 6, chunkSize: 40 })}`);
 *   const result = await runIngestion(file, { ...stack.omEnv, MYSQL_PASSWORD: '...' });
 *   await stack.close();
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli, type CliResult } from './cli.js';
import { startOmServer, type OmTestServer } from './om-server.js';
import type { PostgresServer } from './postgres-server.js';

export interface E2eStackOptions<D> {
  /** Prefix of the temp dir that holds the configs. */
  readonly dirPrefix: string;
  /** The token the OpenMetadata test server accepts. */
  readonly token: string;
  /** Starts the source database (started alongside the OpenMetadata server). */
  readonly database: () => Promise<D>;
  /**
   * The version the OpenMetadata test server announces (its schema set, dialect and bulk endpoint).
   * @default $E2E_OM_VERSION, else 1.0.4 (`E2E_OM_VERSION=1.13.4 npx vitest run test/e2e` runs the
   * suites against a current server)
   */
  readonly omVersion?: string;
}

/** The OpenMetadata version the e2e suites run against unless a suite chooses one. */
export const E2E_OM_VERSION = process.env.E2E_OM_VERSION ?? '1.0.4';

export interface E2eStack<D> {
  readonly db: D;
  readonly om: OmTestServer;
  readonly dir: string;
  /** OM_HOST_PORT and OM_JWT_TOKEN, the variables `workflowYaml()` refers to. */
  readonly omEnv: Readonly<Record<string, string>>;
  /** Writes `text` to the next numbered `config-<n>.yaml` in `dir` and returns its path. */
  writeConfig(text: string): Promise<string>;
  /** Stops both servers and removes `dir`. */
  close(): Promise<void>;
}

export async function startE2eStack<D extends { close(): Promise<void> }>(
  options: E2eStackOptions<D>,
): Promise<E2eStack<D>> {
  const dir = await mkdtemp(join(tmpdir(), options.dirPrefix));
  const [db, om] = await Promise.allSettled([
    options.database(),
    startOmServer({ token: options.token, version: options.omVersion ?? E2E_OM_VERSION }),
  ]);
  const close = async () => {
    await Promise.allSettled([
      om.status === 'fulfilled' ? om.value.close() : undefined,
      db.status === 'fulfilled' ? db.value.close() : undefined,
    ]);
    await rm(dir, { recursive: true, force: true });
  };
  if (db.status === 'rejected' || om.status === 'rejected') {
    // Whatever did start must not outlive the failed set-up.
    await close();
    throw db.status === 'rejected' ? db.reason : (om as PromiseRejectedResult).reason;
  }
  let configs = 0;
  return {
    db: db.value,
    om: om.value,
    dir,
    omEnv: { OM_HOST_PORT: om.value.url, OM_JWT_TOKEN: options.token },
    async writeConfig(text) {
      const file = join(dir, `config-${++configs}.yaml`);
      await writeFile(file, text);
      return file;
    },
    close,
  };
}

export interface WorkflowYamlOptions {
  readonly parallelism: number;
  /** distributedExecution.chunkSize. @default unset (the config default) */
  readonly chunkSize?: number;
  /** @default 'local' */
  readonly orchestrator?: 'local' | 'argo';
  /** distributedExecution.shardFactor. @default unset (the config default) */
  readonly shardFactor?: number;
  /** distributedExecution.namespace and image (what `orchestrator: argo` synthesizes with). @default unset */
  readonly namespace?: string;
  readonly image?: string;
  /** retryPolicy.maxAttempts (backoff 1 s, factor backoffFactor, at most maxBackoffSeconds). @default 3 */
  readonly maxAttempts?: number;
  /** retryPolicy.backoffFactor. @default 2 */
  readonly backoffFactor?: number;
  /** retryPolicy.maxBackoffSeconds. @default 2 */
  readonly maxBackoffSeconds?: number;
  /** workflowConfig.successThreshold. @default unset (the config default) */
  readonly successThreshold?: number;
  /** distributedExecution.maxDeletedFraction. @default unset (the config default) */
  readonly maxDeletedFraction?: number;
}

/**
 * The `sink` and `workflowConfig` of an e2e config: the REST sink to ${OM_HOST_PORT} with
 * ${OM_JWT_TOKEN}, local orchestration unless asked otherwise, and a retry policy with short waits.
 */
export function workflowYaml(o: WorkflowYamlOptions): string {
  const optional = (line: string, value: number | string | undefined) =>
    value === undefined ? [] : [`${line}${value}`];
  return [
    'sink:',
    '  type: metadata-rest',
    '  config: {}',
    'workflowConfig:',
    '  loggerLevel: INFO',
    ...optional('  successThreshold: ', o.successThreshold),
    '  openMetadataServerConfig:',
    '    hostPort: ${OM_HOST_PORT}',
    '    authProvider: openmetadata',
    '    securityConfig:',
    '      jwtToken: ${OM_JWT_TOKEN}',
    '  distributedExecution:',
    '    enabled: true',
    `    orchestrator: ${o.orchestrator ?? 'local'}`,
    `    parallelism: ${o.parallelism}`,
    ...optional('    chunkSize: ', o.chunkSize),
    ...optional('    shardFactor: ', o.shardFactor),
    ...optional('    namespace: ', o.namespace),
    ...optional('    image: ', o.image),
    ...optional('    maxDeletedFraction: ', o.maxDeletedFraction),
    '    retryPolicy:',
    `      maxAttempts: ${o.maxAttempts ?? 3}`,
    '      backoffSeconds: 1',
    `      backoffFactor: ${o.backoffFactor ?? 2}`,
    `      maxBackoffSeconds: ${o.maxBackoffSeconds ?? 2}`,
    '',
  ].join('\n');
}

/** A YAML flow list of single-quoted patterns: `'a', 'b'` (empty for none). */
export function yamlList(items: readonly string[] | undefined): string {
  return (items ?? []).map((p) => `'${p}'`).join(', ');
}

/** `argo-ingest run -c <file>`, in-process, with `env` set for the run. */
export function runIngestion(file: string, env: Record<string, string>): Promise<CliResult> {
  return runCli(['run', '-c', file], env);
}

/** The `error: ` lines the CLI printed. */
export function errorLines(result: CliResult): string[] {
  return result.stderr.split('\n').filter((l) => l.startsWith('error: '));
}

/** Asserts that none of `secrets` appears in what the CLI printed. */
export function expectNoSecrets(result: CliResult, secrets: readonly string[]): void {
  const all = result.stdout + result.stderr;
  for (const secret of secrets) expect(all).not.toContain(secret);
}

/**
 * `source.serviceConnection` of the PostgreSQL e2e configs, indented under `source:`: every value is a
 * `${POSTGRES_*}` variable that postgresEnv supplies.
 */
export function postgresConnectionYaml(o: { readonly ingestAllDatabases?: boolean } = {}): string {
  return [
    '  serviceConnection:',
    '    config:',
    '      type: Postgres',
    '      hostPort: ${POSTGRES_HOST_PORT}',
    '      username: ${POSTGRES_USER}',
    '      authType:',
    '        password: ${POSTGRES_PASSWORD}',
    '      database: ${POSTGRES_DATABASE}',
    ...(o.ingestAllDatabases ? ['      ingestAllDatabases: true'] : []),
  ].join('\n');
}

/** The variables postgresConnectionYaml reads, for `pg` and the password of its test user. */
export function postgresEnv(pg: PostgresServer, password = pg.password): Record<string, string> {
  return {
    POSTGRES_HOST_PORT: pg.hostPort,
    POSTGRES_USER: pg.user,
    POSTGRES_PASSWORD: password,
    POSTGRES_DATABASE: pg.database,
  };
}
