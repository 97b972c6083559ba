/**
 * `argo-ingest plan`: discovery only, then the seed's estimate ("Monitoring Costs"):
 *
 *   time = (entities / pods) x time per entity          pods = min(parallelism, shards)
 *   cost = pods x hours x pod cost per hour
 *   sequential: time = entities x time per entity, on one pod
 *
 * The time per entity is measured by processing a sample of the discovered entities (into no sink: the
 * create-requests are built and dropped) or given by the user.
 */
import type { IngestionConfig } from '../config/schema.js';
import { chooseShardCount } from '../runtime/shards.js';
import type { DiscoverableSource, EntityDescriptor } from '../sources/contract.js';

export interface EstimateOptions {
  /** Entities to process for measuring the time per entity (ignored when secondsPerEntity is given). @default 10 */
  readonly sample?: number;
  /** Time per entity, instead of measuring it. */
  readonly secondsPerEntity?: number;
  /** Price of one worker pod for an hour; no cost without it. */
  readonly podCostPerHour?: number;
  /** @default performance.now (milliseconds) */
  readonly now?: () => number;
  readonly signal?: AbortSignal;
}

export interface RunEstimate {
  readonly pods: number;
  readonly seconds: number;
  /** undefined without a pod price. */
  readonly cost: number | undefined;
}

export interface EstimateReport {
  readonly source: string;
  readonly entities: number;
  /** Entities per descriptor type (`table`, `dashboard`), sorted by type. */
  readonly byType: Readonly<Record<string, number>>;
  readonly parallelism: number;
  readonly shardFactor: number;
  readonly chunkSize: number;
  readonly shards: number;
  /** Pods of one run: discover + shards + finalize. */
  readonly totalPods: number;
  readonly secondsPerEntity: number;
  /** Where the time per entity comes from. */
  readonly timing:
    | { readonly kind: 'given' }
    | { readonly kind: 'measured'; readonly sampled: number; readonly failed: number; readonly seconds: number };
  readonly podCostPerHour: number | undefined;
  readonly distributed: RunEstimate;
  readonly sequential: RunEstimate;
  /** sequential.seconds / distributed.seconds (1 when there is nothing to do). */
  readonly speedup: number;
}

export const DEFAULT_SAMPLE = 10;

/** Discovers (streamed: only the sample is kept), measures, estimates. */
export async function estimateRun(
  config: IngestionConfig,
  source: DiscoverableSource,
  options: EstimateOptions = {},
): Promise<EstimateReport> {
  const dist = config.workflowConfig.distributedExecution;
  const now = options.now ?? (() => performance.now());
  const sampleSize = options.secondsPerEntity === undefined ? (options.sample ?? DEFAULT_SAMPLE) : 0;
  const byType = new Map<string, number>();
  const sample: EntityDescriptor[] = [];
  let entities = 0;
  for await (const descriptor of source.discover()) {
    if (options.signal?.aborted) throw options.signal.reason;
    entities++;
    byType.set(descriptor.type, (byType.get(descriptor.type) ?? 0) + 1);
    if (sample.length < sampleSize) sample.push(descriptor);
  }

  let secondsPerEntity: number;
  let timing: EstimateReport['timing'];
  if (options.secondsPerEntity !== undefined) {
    secondsPerEntity = options.secondsPerEntity;
    timing = { kind: 'given' };
  } else if (sample.length === 0) {
    secondsPerEntity = 0;
    timing = { kind: 'measured', sampled: 0, failed: 0, seconds: 0 };
  } else {
    // Batches of chunkSize, as a shard processes them, so per-batch queries are amortised the same way.
    let failed = 0;
    const started = now();
    for (let i = 0; i < sample.length; i += dist.chunkSize) {
      const outcomes = await source.process(sample.slice(i, i + dist.chunkSize));
      failed += outcomes.filter((o) => !o.ok).length;
    }
    const seconds = (now() - started) / 1000;
    secondsPerEntity = seconds / sample.length;
    timing = { kind: 'measured', sampled: sample.length, failed, seconds };
  }

  const shards = entities === 0 ? 0 : chooseShardCount(entities, dist);
  const pods = Math.min(dist.parallelism, Math.max(1, shards));
  const estimate = (podCount: number): RunEstimate => {
    const seconds = (entities / podCount) * secondsPerEntity;
    return {
      pods: podCount,
      seconds,
      cost: options.podCostPerHour === undefined ? undefined : podCount * (seconds / 3600) * options.podCostPerHour,
    };
  };
  const distributed = estimate(pods);
  const sequential = estimate(1);
  return {
    source: config.source.type,
    entities,
    byType: Object.fromEntries([...byType.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
    parallelism: dist.parallelism,
    shardFactor: dist.shardFactor,
    chunkSize: dist.chunkSize,
    shards,
    totalPods: shards + 2,
    secondsPerEntity,
    timing,
    podCostPerHour: options.podCostPerHour,
    distributed,
    sequential,
    speedup: distributed.seconds > 0 ? sequential.seconds / distributed.seconds : 1,
  };
}

/** The report for a terminal. */
export function formatEstimate(report: EstimateReport, file: string): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const types = Object.entries(report.byType)
    .map(([type, count]) => `${type} ${n(count)}`)
    .join(', ');
  const timing =
    report.timing.kind === 'given'
      ? 'given with --seconds-per-entity'
      : report.timing.sampled === 0
        ? 'nothing to measure'
        : `measured on ${report.timing.sampled} entities in ${report.timing.seconds.toFixed(2)}s` +
          `${report.timing.failed > 0 ? `, ${report.timing.failed} failed` : ''} (no sink: OpenMetadata writes not included)`;
  const cost = (e: RunEstimate) => (e.cost === undefined ? '-' : `$${e.cost.toFixed(2)}`);
  const row = (label: string, d: string, s: string) => `  ${label.padEnd(10)}${d.padEnd(22)}${s}`;
  const lines = [
    `Plan for ${file} (source ${report.source})`,
    `Entities:         ${n(report.entities)}${types ? ` (${types})` : ''}`,
    `Shards:           ${n(report.shards)} (K: at least parallelism ${report.parallelism} given as many entities, 5+ entities each, at most parallelism x shardFactor ${report.shardFactor})`,
    `Pods:             ${n(report.distributed.pods)} at a time; ${n(report.totalPods)} in all (discover + ${n(report.shards)} shards + finalize)`,
    `Time per entity:  ${formatSeconds(report.secondsPerEntity)} (${timing})`,
    '',
    row('', 'Distributed', 'Sequential'),
    row('Pods', String(report.distributed.pods), '1'),
    row('Time', formatSeconds(report.distributed.seconds), formatSeconds(report.sequential.seconds)),
    row(
      'Cost',
      cost(report.distributed),
      report.podCostPerHour === undefined ? '- (give --pod-cost-per-hour)' : cost(report.sequential),
    ),
    `  Speed-up: ${report.speedup.toFixed(1)}x`,
    '',
    'time = (entities / pods) x time per entity; cost = pods x hours x pod cost per hour.',
    'Pod start-up and the discover / finalize steps are not included.',
  ];
  return `${lines.join('\n')}\n`;
}

function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${(seconds * 1000).toFixed(1)}ms`;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)}min`;
  return `${(seconds / 3600).toFixed(1)}h`;
}
