/**
 * A fixed-size in-process pool: at most `concurrency` tasks run at once, in index order. Local mode runs
 * its shards through it (concurrency = parallelism); sequential mode is the same pool of size 1.
 */
export async function runPool<R>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array<PromiseSettledResult<R>>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await task(index) };
      } catch (reason) {
        // One shard's failure never stops its siblings (Argo: continueOn failed).
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, () => worker());
  await Promise.all(workers);
  return results;
}
