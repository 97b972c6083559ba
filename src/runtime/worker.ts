/**
 * The worker steps as the WorkflowTemplate runs them (`argo-ingest worker discover | process |
 * finalize`): load and resolve the config, open the source and sink, run one step, write its outputs.
 * The CLI command (src/cli/commands/worker.ts) only parses arguments into a WorkerInvocation.
 */
import { readFile } from 'node:fs/promises';
import { loadConfigFile, resolveConfig } from '../config/load.js';
import type { IngestionConfig } from '../config/schema.js';
import { discover } from './discover.js';
import { WorkerArgumentError } from './errors.js';
import { finalize, runFailure } from './finalize.js';
import { createLogger, type Logger } from '../util/logger.js';
import { openRuntime, type Opener } from './open.js';
import { writeDiscoverOutputs, writeShardResult } from './outputs.js';
import { processShard } from './process.js';
import { parseShardResults } from './results.js';
import { formatSummary } from './summary.js';
import { ENV, type NotIngested } from './worker-contract.js';

export type WorkerInvocation =
  | { readonly step: 'discover'; readonly config: string; readonly outputDir: string }
  | {
      readonly step: 'process';
      readonly config: string;
      readonly shard: number;
      readonly shards: number;
      readonly outputDir: string;
    }
  | {
      readonly step: 'finalize';
      readonly config: string;
      /** The shard results: inline JSON, or the file the template's raw input artifact holds. */
      readonly results: { readonly json: string } | { readonly file: string };
      readonly entities: number;
      /** K as discover chose it (the template always passes it). */
      readonly shards?: number;
      /** What discover did not ingest for its name (the template passes discover's output). */
      readonly notIngested?: NotIngested;
    };

export interface WorkerDeps {
  /** Opens source and sink. @default openRuntime */
  readonly open?: Opener;
  /** Environment for `${VAR}`s and ARGO_PROGRESS_FILE. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Command output (finalize's summary). @default process.stdout */
  readonly write?: (text: string) => void;
  /** @default a logger at workflowConfig.loggerLevel on stderr */
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
  /** Waits between retries (tests). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export async function runWorkerStep(invocation: WorkerInvocation, deps: WorkerDeps = {}): Promise<void> {
  const env = deps.env ?? process.env;
  // Bad --results fail before anything connects.
  const results = invocation.step === 'finalize' ? parseShardResults(await readResults(invocation.results)) : undefined;
  const config: IngestionConfig = resolveConfig(loadConfigFile(invocation.config), env);
  const logger = deps.logger ?? createLogger(config.workflowConfig.loggerLevel);
  const open = deps.open ?? openRuntime;
  const opened = await open(config, { logger, signal: deps.signal });
  const base = { config, sink: opened.sink, logger, signal: deps.signal, sleep: deps.sleep };
  try {
    const { source } = opened;
    switch (invocation.step) {
      case 'discover': {
        logger.info('Executing workflow in DISTRIBUTED mode: discover');
        const found = await discover({ ...base, source });
        await writeDiscoverOutputs(invocation.outputDir, {
          shards: found.shards,
          entities: found.entities,
          notIngested: { count: found.invalidNameCount, listed: found.invalidNames },
        });
        return;
      }
      case 'process': {
        logger.info(`Executing workflow in DISTRIBUTED mode: shard ${invocation.shard} of ${invocation.shards}`);
        const result = await processShard(
          { ...base, source },
          { shard: invocation.shard, shards: invocation.shards, progressFile: env[ENV.progressFile] },
        );
        await writeShardResult(invocation.outputDir, result);
        logger.info(
          `Shard ${invocation.shard}: ${result.entities} entities, ${result.succeeded} succeeded, ${result.failed} failed`,
        );
        return;
      }
      case 'finalize': {
        const report = await finalize(
          { ...base, source },
          {
            results: results!,
            entities: invocation.entities,
            ...(invocation.shards !== undefined ? { shards: invocation.shards } : {}),
          },
        );
        (deps.write ?? ((t) => process.stdout.write(t)))(
          formatSummary({
            ...report,
            mode: 'DISTRIBUTED',
            shardErrors: [],
            ...(invocation.notIngested ? { invalidNames: invocation.notIngested } : {}),
          }),
        );
        const failure = runFailure(report);
        if (failure) throw failure;
        return;
      }
    }
  } finally {
    await opened.close();
  }
}

async function readResults(results: { readonly json: string } | { readonly file: string }): Promise<string> {
  if ('json' in results) return results.json;
  try {
    return await readFile(results.file, 'utf8');
  } catch (error) {
    throw new WorkerArgumentError(
      `--results-file ${results.file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
}
