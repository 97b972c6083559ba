/** Shared set-up of the cluster tests: a pipeline config, a capturing logger, temp dirs. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText, type LoadedConfig } from '../../src/config/load.js';
import type { Logger } from '../../src/util/logger.js';

export interface ConfigOverrides {
  readonly namespace?: string;
  readonly parallelism?: number;
  readonly serviceAccount?: string;
  readonly waitForCompletion?: boolean;
  readonly argoServerUrl?: string;
  readonly schedule?: string;
}

/** A PostgreSQL pipeline on Argo; `${VAR}`s stay placeholders (the secrets live in the cluster). */
export function pipelineConfigText(overrides: ConfigOverrides = {}): string {
  const lines = [
    'source:',
    '  type: postgres',
    '  serviceName: warehouse_pg',
    '  serviceConnection:',
    '    config:',
    '      type: Postgres',
    '      hostPort: ${POSTGRES_HOST_PORT}',
    '      username: ${POSTGRES_USER}',
    '      authType:',
    '        password: ${POSTGRES_PASSWORD}',
    '      database: warehouse',
    '  sourceConfig:',
    '    config:',
    '      type: DatabaseMetadata',
    'sink:',
    '  type: metadata-rest',
    '  config: {}',
    'workflowConfig:',
    '  openMetadataServerConfig:',
    '    hostPort: ${OPENMETADATA_HOST_PORT}',
    '    authProvider: openmetadata',
    '    securityConfig:',
    '      jwtToken: ${OM_JWT_TOKEN}',
    '  distributedExecution:',
    '    enabled: true',
    '    orchestrator: argo',
    `    parallelism: ${overrides.parallelism ?? 30}`,
    `    namespace: ${overrides.namespace ?? 'openmetadata'}`,
    '    image: ghcr.io/example/argo-ingest:0.1.0',
    `    waitForCompletion: ${overrides.waitForCompletion ?? false}`,
    '    timeoutSeconds: 600',
  ];
  if (overrides.serviceAccount) lines.push(`    serviceAccount: ${overrides.serviceAccount}`);
  if (overrides.argoServerUrl) lines.push(`    argoServerUrl: ${overrides.argoServerUrl}`);
  if (overrides.schedule) lines.push(`    schedule: "${overrides.schedule}"`);
  return lines.join('\n') + '\n';
}

export function pipelineConfig(overrides: ConfigOverrides = {}): LoadedConfig {
  return parseConfigText(pipelineConfigText(overrides), 'pipeline.yaml');
}

export interface CapturingLogger extends Logger {
  readonly lines: string[];
  text(): string;
}

export function capturingLogger(): CapturingLogger {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => {
    lines.push(`${level} ${message}`);
  };
  return {
    lines,
    text: () => lines.join('\n'),
    debug: at('DEBUG'),
    info: at('INFO'),
    warn: at('WARN'),
    error: at('ERROR'),
  };
}

export interface TempDir {
  readonly path: string;
  write(name: string, content: string): string;
  remove(): void;
}

export function tempDir(prefix = 'argo-ingest-cluster-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    write(name, content) {
      const file = join(path, name);
      writeFileSync(file, content);
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** An object as we sent it: the fields the API server adds removed. */
export function withoutServerFields(object: Record<string, unknown>): Record<string, unknown> {
  const {
    resourceVersion: _rv,
    uid: _uid,
    creationTimestamp: _ct,
    managedFields: _mf,
    ...metadata
  } = object.metadata as Record<string, unknown>;
  const { status: _status, ...rest } = object;
  return { ...rest, metadata };
}
