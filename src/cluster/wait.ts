/**
 * Waiting for a submitted Workflow: poll it, show `status.progress` (N/M) and the phase (a bar redrawn
 * in place on a terminal, one line per change otherwise), and end on the phase. Polling rather than a
 * watch: one GET every few seconds costs the API server nothing and survives proxies that cut long
 * requests.
 */
import { formatDuration } from '../runtime/progress.js';
import type { Logger } from '../runtime/logger.js';
import { sleep as abortableSleep } from '../runtime/retry.js';
import { KubeHttpError, KubeUnreachableError } from './errors.js';
import { stopLine, type WorkflowRef } from './follow.js';
import type { KubeClient } from './kube-client.js';
import { workflowPath } from './resources.js';

/** Exit codes of `run` when it waits. */
export const WAIT_EXIT = { succeeded: 0, failed: 1, lostContact: 1, timeout: 124, interrupted: 130 } as const;

export interface WaitStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface WaitOptions {
  readonly logger: Logger;
  /** Stop waiting after this long (distributedExecution.timeoutSeconds). */
  readonly timeoutSeconds: number;
  /** Between two GETs. @default 2000 */
  readonly pollMs?: number;
  /** Aborted by Ctrl-C: stop waiting, leave the Workflow running. */
  readonly signal?: AbortSignal;
  /** Where progress goes. @default process.stderr */
  readonly stream?: WaitStream;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default runtime/retry's sleep (a setTimeout that an abort cuts short) */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Consecutive failed GETs (network, 5xx) tolerated before giving up. @default 5 */
  readonly maxPollFailures?: number;
}

interface WorkflowNode {
  readonly displayName?: string;
  readonly name?: string;
  readonly type?: string;
  readonly phase?: string;
  readonly message?: string;
}

interface WorkflowStatus {
  readonly phase?: string;
  readonly progress?: string;
  readonly message?: string;
  readonly nodes?: Readonly<Record<string, WorkflowNode>>;
}

const DONE = new Set(['Succeeded', 'Failed', 'Error']);
const BAR_WIDTH = 24;
/** Failed nodes listed at most; the rest are counted. */
const MAX_FAILED_NODES = 10;

/** Resolves to the exit code: 0 Succeeded, 1 Failed/Error, 124 timeout, 130 interrupted. */
export async function waitForWorkflow(client: KubeClient, ref: WorkflowRef, options: WaitOptions): Promise<number> {
  const { logger, signal } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const pollMs = options.pollMs ?? 2000;
  const maxFailures = options.maxPollFailures ?? 5;
  const started = now();
  const deadline = started + options.timeoutSeconds * 1000;
  let last = '';
  let drawn = false;
  let failures = 0;

  const draw = (status: WorkflowStatus, final: boolean) => {
    const line = formatWaitLine(status, now() - started, tty);
    if (tty) {
      stream.write(`\r${line}\x1b[K${final ? '\n' : ''}`);
      drawn = !final;
    } else if (line !== last) {
      stream.write(`${line}\n`);
    }
    last = line;
  };
  const endLine = () => {
    if (drawn) stream.write('\n');
    drawn = false;
  };

  logger.info(
    `Waiting for workflow ${ref.namespace}/${ref.name} (up to ${formatDuration(options.timeoutSeconds * 1000)}; Ctrl-C stops waiting, not the workflow)`,
  );
  for (;;) {
    if (signal?.aborted) {
      endLine();
      logger.warn(`Stopped waiting; workflow ${ref.namespace}/${ref.name} keeps running on the cluster.`);
      logger.warn(stopLine(ref));
      return WAIT_EXIT.interrupted;
    }
    let status: WorkflowStatus | undefined;
    try {
      const workflow = await client.request<{ status?: WorkflowStatus }>('GET', workflowPath(ref.namespace, ref.name));
      status = workflow.status ?? {};
      failures = 0;
    } catch (error) {
      if (!isTransient(error) || ++failures >= maxFailures) {
        endLine();
        logger.error(`Lost track of workflow ${ref.namespace}/${ref.name}: ${describe(error)}`);
        logger.error('It may still be running on the cluster; check it with kubectl or argo.');
        return WAIT_EXIT.lostContact;
      }
      logger.debug(`Polling workflow ${ref.name} failed (${describe(error)}); retrying`);
    }
    if (status !== undefined) {
      const phase = status.phase ?? 'Pending';
      draw(status, DONE.has(phase));
      if (phase === 'Succeeded') {
        logger.info(`Workflow ${ref.namespace}/${ref.name} Succeeded in ${formatDuration(now() - started)}`);
        return WAIT_EXIT.succeeded;
      }
      if (phase === 'Failed' || phase === 'Error') {
        for (const line of failureLines(ref, status)) logger.error(line);
        return WAIT_EXIT.failed;
      }
    }
    if (now() >= deadline) {
      endLine();
      logger.error(
        `Stopped waiting after ${formatDuration(options.timeoutSeconds * 1000)} (distributedExecution.timeoutSeconds); ` +
          `workflow ${ref.namespace}/${ref.name} is still ${status?.phase ?? 'unknown'}.`,
      );
      logger.error(stopLine(ref));
      return WAIT_EXIT.timeout;
    }
    try {
      await sleep(Math.min(pollMs, Math.max(0, deadline - now())), signal);
    } catch {
      // Aborted: handled at the top of the loop.
    }
  }
}

/** `[#####...] 3/10  Running  1m 05s` on a terminal; `Workflow progress: 3/10, phase Running` otherwise. */
function formatWaitLine(status: WorkflowStatus, elapsedMs: number, withBar: boolean): string {
  const phase = status.phase ?? 'Pending';
  const progress = parseProgress(status.progress);
  if (!withBar) {
    return `Workflow progress: ${progress ? `${progress.done}/${progress.total}` : '-'}, phase ${phase}`;
  }
  const fraction = progress && progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  const bar = `[${'#'.repeat(Math.round(fraction * BAR_WIDTH)).padEnd(BAR_WIDTH, '.')}]`;
  const count = progress ? `${progress.done}/${progress.total}` : '-/-';
  return `${bar} ${count}  ${phase}  ${formatDuration(elapsedMs)}`;
}

function parseProgress(progress: string | undefined): { done: number; total: number } | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(progress?.trim() ?? '');
  return match ? { done: Number(match[1]), total: Number(match[2]) } : undefined;
}

/** The workflow's message and its failed nodes' messages, with a fix where one is known. */
function failureLines(ref: WorkflowRef, status: WorkflowStatus): string[] {
  const lines = [
    `Workflow ${ref.namespace}/${ref.name} ${status.phase}${status.progress ? ` (progress ${status.progress})` : ''}` +
      `${status.message ? `: ${status.message}` : ''}`,
  ];
  const failed = Object.values(status.nodes ?? {}).filter(
    (n) => (n.phase === 'Failed' || n.phase === 'Error') && n.type === 'Pod' && n.message,
  );
  for (const node of failed.slice(0, MAX_FAILED_NODES)) {
    lines.push(`  ${node.displayName ?? node.name}: ${node.message}`);
  }
  if (failed.length > MAX_FAILED_NODES) lines.push(`  ... and ${failed.length - MAX_FAILED_NODES} more failed nodes`);
  const text = [status.message ?? '', ...failed.map((n) => n.message ?? '')].join('\n');
  const account = /serviceaccount "([^"]+)" not found/.exec(text);
  if (account) {
    lines.push(
      `  Fix: the workflow's ServiceAccount "${account[1]}" does not exist in namespace "${ref.namespace}"; create it ` +
        `("kubectl create serviceaccount ${account[1]} -n ${ref.namespace}") or remove distributedExecution.serviceAccount; ` +
        `check with "kubectl get serviceaccount ${account[1]} -n ${ref.namespace}"`,
    );
  } else if (/OOMKilled/.test(text)) {
    lines.push('  Fix: a worker ran out of memory; raise distributedExecution.resourceLimits.memory');
  }
  lines.push(`Details: kubectl -n ${ref.namespace} describe wf ${ref.name}; argo -n ${ref.namespace} logs ${ref.name}`);
  return lines;
}

function isTransient(error: unknown): boolean {
  if (error instanceof KubeUnreachableError) return true;
  return error instanceof KubeHttpError && (error.status >= 500 || error.status === 429);
}

function describe(error: unknown): string {
  if (error instanceof KubeHttpError)
    return `${error.status}${error.reason ? ` ${error.reason}` : ''}: ${error.detail}`;
  return error instanceof Error ? error.message : String(error);
}
