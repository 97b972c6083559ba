/**
 * A fixed-size in-process pool: at most `concurrency` tasks run at once, in index order or in the order
 * given. Local mode runs its shards through it (concurrency = parallelism); sequential mode is the same
 * pool of size 1.
 */
export async function runPool<R>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<R>,
  /** The indices in the order to start them (a permutation of 0..count-1). @default index order */
  order?: readonly number[],
): Promise<PromiseSettledResult<R>[]> {
  if (order && (order.length !== count || new Set(order).size !== count || order.some((i) => !(i >= 0 && i < count))))
    throw new RangeError(`order must be a permutation of 0..${count - 1}`);
  const results: PromiseSettledResult<R>[] = new Array<PromiseSettledResult<R>>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = order ? order[next++]! : next++;
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
