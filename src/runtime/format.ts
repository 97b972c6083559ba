/** Wording shared by the run summary, finalize and the errors a run exits with. */

/** `shards 3, 7` or `shard 3`, at most ten numbers then the count. */
export function formatShards(shards: readonly number[]): string {
  const shown = shards.slice(0, 10).join(', ');
  return `shard${shards.length === 1 ? '' : 's'} ${shown}${shards.length > 10 ? `, ... (${shards.length} in all)` : ''}`;
}

/** A success rate as the summary and ThresholdError print it: rounded down to 0.1 (99.96 is not 100%). */
export function formatPercent(value: number): string {
  return `${Math.floor(value * 10) / 10}%`;
}
