/** The final summary `run` and `worker finalize` print: found, succeeded, failed (why), created, time. */
import type { FinalizeReport } from './finalize.js';
import { escapeName, type InvalidName } from './names.js';
import { formatDuration } from './progress.js';
import { formatPercent, formatShards } from './format.js';
export { formatPercent } from './format.js';

export interface RunReport extends FinalizeReport {
  /** `LOCAL`, `SEQUENTIAL`, or `DISTRIBUTED` (worker finalize). */
  readonly mode: string;
  /** Wall time of the whole run, when this process saw all of it. */
  readonly durationMs?: number;
  /** Shards that could not run at all, with the reason. */
  readonly shardErrors: readonly { readonly shard: number; readonly error: string }[];
  /** Entities not ingested because OpenMetadata cannot take their name (discover's report). */
  readonly invalidNames?: { readonly count: number; readonly listed: readonly InvalidName[] };
}

export function formatSummary(report: RunReport): string {
  const { totals } = report;
  const rate = `${formatPercent(totals.successPercent)}`;
  const lines = [`Ingestion summary (${report.mode} mode)`];
  const row = (label: string, value: string) => lines.push(`  ${(label + ':').padEnd(16)} ${value}`);
  row('Entities found', String(totals.discovered));
  row('Succeeded', `${totals.succeeded} (${rate})`);
  row('Failed', String(totals.failed));
  for (const failure of totals.failures) lines.push(`    - ${escapeName(failure.fqn)}: ${escapeName(failure.error)}`);
  if (totals.failed > totals.failures.length && totals.failures.length > 0) {
    lines.push(`    ... and ${totals.failed - totals.failures.length} more (see the log)`);
  }
  for (const shardError of report.shardErrors)
    lines.push(`    - shard ${shardError.shard} could not run: ${shardError.error}`);
  for (const { shard, reason } of totals.rejected) lines.push(`    - shard ${shard}: result rejected: ${reason}`);
  if (totals.missingShards.length > 0) lines.push(`    - no result from ${formatShards(totals.missingShards)}`);
  if (totals.unreported > 0) lines.push(`    - ${totals.unreported} entities not reported by any shard`);
  if (report.invalidNames && report.invalidNames.count > 0) {
    const { count, listed } = report.invalidNames;
    row('Not ingested', `${count} (names OpenMetadata cannot take; not failures, not deletions)`);
    for (const invalid of listed) lines.push(`    - ${escapeName(invalid.fqn)}: ${invalid.problem}`);
    const log = report.mode === 'DISTRIBUTED' ? "the discover step's log" : 'the log';
    if (count > listed.length) lines.push(`    ... and ${count - listed.length} more (see ${log})`);
  }
  row('Created', String(totals.created));
  row('Updated', String(totals.updated));
  if (report.markDeleted) {
    const { deleted, reason } = report.markDeleted;
    const names = deleted.map(escapeName);
    const done = deleted.length > 0 ? `${deleted.length} soft-deleted (${abbreviate(names)})` : 'nothing to delete';
    row('Marked deleted', reason && deleted.length === 0 ? `none: ${reason}` : done + (reason ? `; ${reason}` : ''));
    for (const container of report.markDeleted.incomplete ?? []) {
      lines.push(
        `    - not listed: ${escapeName(container.fqn)} (${container.reason}); its ${container.entities} ` +
          `entit${container.entities === 1 ? 'y' : 'ies'} in OpenMetadata kept`,
      );
    }
  }
  if (report.durationMs !== undefined) row('Time taken', formatDuration(report.durationMs));
  row(
    'Result',
    report.cancelled
      ? 'cancelled (SIGTERM or SIGINT): the run did not complete'
      : report.passed
        ? `succeeded (${rate} >= successThreshold ${report.threshold}%)`
        : totals.missingShards.length > 0
          ? `FAILED: incomplete run (${formatShards(totals.missingShards)} missing)`
          : report.incompleteFailed && totals.successPercent >= report.threshold
            ? 'FAILED: the listing was incomplete (see "not listed" above)'
            : `FAILED: ${rate} of entities succeeded, under successThreshold ${report.threshold}%`,
  );
  return lines.join('\n') + '\n';
}

function abbreviate(names: readonly string[]): string {
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')}, ... ${names.length - 5} more`;
}
