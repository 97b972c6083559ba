/**
 * The demo: an embedded PostgreSQL (PGlite) filled with the sample estate, ingested in LOCAL mode into
 * the JSON-lines file sink. Nothing to install: it runs the same config model, source, runtime and sink
 * as `argo-ingest run`; only the opener differs, to keep the source to the one connection the embedded
 * server accepts.
 */
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseConfigText, resolveConfig } from '../config/load.js';
import type { Logger } from '../util/logger.js';
import { openerWith, type Opener } from '../runtime/open.js';
import type { ProgressReporter } from '../runtime/progress.js';
import { runInProcess } from '../runtime/run.js';
import type { RunReport } from '../runtime/summary.js';
import { PostgresSource } from '../sources/postgres/source.js';
import { EMBEDDED_MAX_CONNECTIONS, startEmbeddedPostgres } from './embedded.js';
import { buildEstate, type Estate } from './estate.js';

export interface DemoOptions {
  /** The JSON-lines file to write; replaced if it exists. @default 'demo-output.jsonl' */
  readonly output?: string;
  /** Schemas of the sample estate. @default 4 */
  readonly schemas?: number;
  /** Tables per schema (plus views, a materialized view, a partitioned and a foreign table each). @default 25 */
  readonly tablesPerSchema?: number;
  /** `distributedExecution.parallelism` of the demo config. @default 4 */
  readonly parallelism?: number;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** Where the summary goes. @default process.stdout */
  readonly write?: (text: string) => void;
  /** @default a bar on a terminal, plain lines otherwise */
  readonly progress?: ProgressReporter;
}

export interface DemoResult {
  readonly report: RunReport;
  readonly estate: Estate;
  /** Absolute path of the JSON-lines file. */
  readonly output: string;
}

export const DEMO_SERVICE = 'demo_postgres';

/** The demo's ingestion config: what a user would write for a local run into a file sink. */
export function demoConfigText(output: string, parallelism: number): string {
  return `# argo-ingest demo: an embedded PostgreSQL ingested in LOCAL mode into a JSON-lines file
source:
  type: postgres
  serviceName: ${DEMO_SERVICE}
  serviceConnection:
    config:
      type: Postgres
      hostPort: \${DEMO_POSTGRES_HOST_PORT}
      username: postgres
      database: postgres
  sourceConfig:
    config:
      type: DatabaseMetadata
      includeViews: true
      markDeletedTables: false
sink:
  type: file
  config:
    filename: ${JSON.stringify(output)}
workflowConfig:
  loggerLevel: INFO
  openMetadataServerConfig:
    hostPort: http://localhost:8585/api
    authProvider: no-auth
  distributedExecution:
    enabled: true
    orchestrator: local
    parallelism: ${parallelism}
`;
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { logger } = options;
  const output = resolve(options.output ?? 'demo-output.jsonl');
  const parallelism = options.parallelism ?? 4;
  logger.info('Starting an embedded PostgreSQL (PGlite) on 127.0.0.1');
  const embedded = await startEmbeddedPostgres();
  try {
    const estate = await buildEstate(embedded.db, {
      schemas: options.schemas ?? 4,
      tablesPerSchema: options.tablesPerSchema ?? 25,
      foreignTables: true,
    });
    logger.info(
      `Sample estate at ${embedded.hostPort}: ${estate.schemas.length} schemas, ${estate.entityCount} tables and views`,
    );
    // A fresh dry run: the file sink appends, so an old file would mix two runs.
    await rm(output, { force: true });
    const config = resolveConfig(parseConfigText(demoConfigText(output, parallelism), '<demo config>'), {
      DEMO_POSTGRES_HOST_PORT: embedded.hostPort,
    });
    const report = await runInProcess(config, {
      mode: 'local',
      logger,
      signal: options.signal,
      write: options.write,
      progress: options.progress,
      open: embeddedOpener,
    });
    (options.write ?? ((t: string) => process.stdout.write(t)))(`Wrote the create requests to ${output}\n`);
    return { report, estate, output };
  } finally {
    await embedded.close();
  }
}

/** openRuntime with the source limited to the embedded server's single connection. */
const embeddedOpener: Opener = openerWith((config, options) => {
  const { source } = config;
  const metadata = source.sourceConfig.config;
  if (metadata.type !== 'DatabaseMetadata') throw new Error('the demo config must use DatabaseMetadata');
  if (source.type !== 'postgres') throw new Error('the demo config must use a postgres source');
  return new PostgresSource({
    serviceName: source.serviceName,
    connection: source.serviceConnection.config,
    metadata,
    options,
    maxConnections: EMBEDDED_MAX_CONNECTIONS,
    idleTimeoutMillis: 0,
  });
});
