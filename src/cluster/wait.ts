/**
 * Waiting for a submitted Workflow: watch it, show `status.progress` (N/M) and the phase (a bar redrawn
 * in place on a terminal, one line per change otherwise), and end on the phase.
 *
 * A watch, as client-go's reflector keeps one (tools/cache/reflector.go ListAndWatch): GET the Workflow
 * for its state and resourceVersion, then `?watch=1&fieldSelector=metadata.name=NAME&resourceVersion=RV`
 * and follow its events, remembering the resourceVersion of each. When the stream ends (the server's
 * timeoutSeconds, a proxy cutting long requests, a dropped connection) the watch resumes from the last
 * resourceVersion; when that version is too old (HTTP 410 Gone, or an ERROR event whose Status has
 * code 410: etcd compacted it) the Workflow is read again and watched from its new version.
 */
import type { Logger } from '../util/logger.js';
import { formatDuration } from '../runtime/progress.js';
import { sleep as abortableSleep } from '../util/retry.js';
import { KubeHttpError, KubeUnreachableError } from './errors.js';
import { stopLine, type WorkflowRef } from './follow.js';
import type { KubeClient } from './kube-client.js';
import { ARGO_API, workflowPath } from './resources.js';

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
  /** Unused since waiting watches; kept for callers that set it. */
  readonly pollMs?: number;
  /** Aborted by Ctrl-C: stop waiting, leave the Workflow running. */
  readonly signal?: AbortSignal;
  /** Where progress goes. @default process.stderr */
  readonly stream?: WaitStream;
  /** @default Date.now */
  readonly now?: () => number;
  /** Used for the deadline and between retries. @default util/retry's sleep (a setTimeout that an abort cuts short) */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Consecutive failed requests (network, 5xx) tolerated before giving up. @default 5 */
  readonly maxPollFailures?: number;
  /** Server-side lifetime of one watch request before it is resumed. @default 300 */
  readonly watchSeconds?: number;
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

interface WorkflowObject {
  readonly metadata?: { readonly resourceVersion?: string };
  readonly status?: WorkflowStatus;
}

/** One watch event (k8s.io/apimachinery pkg/apis/meta/v1 WatchEvent). */
interface WatchEvent {
  readonly type?: string;
  readonly object?: WorkflowObject & { readonly kind?: string; readonly code?: number; readonly message?: string };
}

/** Resolves to the exit code: 0 Succeeded, 1 Failed/Error, 124 timeout, 130 interrupted. */
export async function waitForWorkflow(client: KubeClient, ref: WorkflowRef, options: WaitOptions): Promise<number> {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const maxFailures = options.maxPollFailures ?? 5;
  const watchSeconds = options.watchSeconds ?? 300;
  const started = now();
  let last = '';
  let drawn = false;
  let lastPhase: string | undefined;

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
  /** Shows a state; the exit code when it is final. */
  const show = (status: WorkflowStatus): number | undefined => {
    const phase = status.phase ?? 'Pending';
    lastPhase = phase;
    draw(status, DONE.has(phase));
    if (phase === 'Succeeded') {
      logger.info(`Workflow ${ref.namespace}/${ref.name} Succeeded in ${formatDuration(now() - started)}`);
      return WAIT_EXIT.succeeded;
    }
    if (phase === 'Failed' || phase === 'Error') {
      for (const line of failureLines(ref, status)) logger.error(line);
      return WAIT_EXIT.failed;
    }
    return undefined;
  };
  const lost = (why: string) => {
    endLine();
    logger.error(`Lost track of workflow ${ref.namespace}/${ref.name}: ${why}`);
    logger.error('It may still be running on the cluster; check it with kubectl or argo.');
    return WAIT_EXIT.lostContact;
  };

  logger.info(
    `Waiting for workflow ${ref.namespace}/${ref.name} (up to ${formatDuration(options.timeoutSeconds * 1000)}; Ctrl-C stops waiting, not the workflow)`,
  );
  // Stops the watch, the retry sleeps and the deadline: Ctrl-C, the deadline, or the end.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  let timedOut = false;
  sleep(Math.max(0, started + options.timeoutSeconds * 1000 - now()), stop.signal).then(
    () => {
      timedOut = true;
      stop.abort();
    },
    () => undefined,
  );

  try {
    let resourceVersion: string | undefined;
    let failures = 0;
    for (;;) {
      if (options.signal?.aborted) {
        endLine();
        logger.warn(`Stopped waiting; workflow ${ref.namespace}/${ref.name} keeps running on the cluster.`);
        logger.warn(stopLine(ref));
        return WAIT_EXIT.interrupted;
      }
      if (timedOut) {
        endLine();
        logger.error(
          `Stopped waiting after ${formatDuration(options.timeoutSeconds * 1000)} (distributedExecution.timeoutSeconds); ` +
            `workflow ${ref.namespace}/${ref.name} is still ${lastPhase ?? 'unknown'}.`,
        );
        logger.error(stopLine(ref));
        return WAIT_EXIT.timeout;
      }
      try {
        if (resourceVersion === undefined) {
          // (Re)list: the current state and the version to watch from.
          const workflow = await client.request<WorkflowObject>('GET', workflowPath(ref.namespace, ref.name));
          resourceVersion = workflow.metadata?.resourceVersion ?? '';
          failures = 0;
          const code = show(workflow.status ?? {});
          if (code !== undefined) return code;
        }
        let final: number | undefined;
        let gone = false;
        let deleted = false;
        const watchStop = new AbortController();
        const onStop = () => watchStop.abort();
        stop.signal.addEventListener('abort', onStop, { once: true });
        if (stop.signal.aborted) continue;
        try {
          await client.stream(
            `${ARGO_API}/namespaces/${encodeURIComponent(ref.namespace)}/workflows`,
            {
              watch: '1',
              fieldSelector: `metadata.name=${ref.name}`,
              resourceVersion,
              allowWatchBookmarks: 'true',
              timeoutSeconds: String(watchSeconds),
            },
            (line) => {
              if (final !== undefined || gone || deleted) return;
              const event = JSON.parse(line) as WatchEvent;
              const object = event.object;
              if (event.type === 'ERROR') {
                if (object?.code === 410) gone = true;
                else throw new Error(`the watch failed: ${object?.message ?? line.slice(0, 200)}`);
              } else if (event.type === 'DELETED') {
                deleted = true;
              } else if (object?.metadata?.resourceVersion !== undefined) {
                resourceVersion = object.metadata.resourceVersion;
                failures = 0;
                if (event.type === 'ADDED' || event.type === 'MODIFIED') final = show(object.status ?? {});
              }
              if (final !== undefined || gone || deleted) watchStop.abort();
            },
            watchStop.signal,
          );
        } catch (error) {
          if (final === undefined && !gone && !deleted && !stop.signal.aborted) throw error;
        } finally {
          stop.signal.removeEventListener('abort', onStop);
        }
        if (final !== undefined) return final;
        if (deleted) return lost('it was deleted');
        if (gone) {
          logger.debug(`Watch of ${ref.name}: resourceVersion ${resourceVersion} is too old (410); reading it again`);
          resourceVersion = undefined;
        }
        // Otherwise the stream ended (timeoutSeconds, a proxy): resume from resourceVersion.
      } catch (error) {
        if (stop.signal.aborted) continue;
        if (error instanceof KubeHttpError && error.status === 410) {
          resourceVersion = undefined;
          continue;
        }
        if (!isTransient(error) || ++failures >= maxFailures) return lost(describe(error));
        logger.debug(`Watching workflow ${ref.name} failed (${describe(error)}); retrying`);
        // A first failure (a proxy cutting the stream) resumes at once, as the reflector does; more back off.
        if (failures > 1) await sleep(Math.min(500 * 2 ** failures, 10_000), stop.signal).catch(() => undefined);
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    stop.abort();
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
