/**
 * Paging helpers. Every vendor pages differently (offset/limit, page number + total, OData $top/$skip);
 * these generators fetch one page at a time, so discovery holds a page, never the whole estate.
 */

export interface Page<T> {
  readonly items: readonly T[];
  /** Total items across pages, when the API reports it. */
  readonly total?: number;
}

/**
 * Pages by offset: asks `fetch(offset, limit)` until a short page, an empty page, or `total` reached.
 * @param limit page size the API is asked for
 */
export async function* pageByOffset<T>(
  limit: number,
  fetch: (offset: number, limit: number) => Promise<Page<T>>,
): AsyncGenerator<T> {
  for (let offset = 0; ;) {
    const page = await fetch(offset, limit);
    yield* page.items;
    offset += page.items.length;
    if (page.items.length === 0 || page.items.length < limit) return;
    if (page.total !== undefined && offset >= page.total) return;
  }
}

/**
 * Pages by page number: asks `fetch(pageNumber, pageSize)` from `first` until the reported total is
 * reached or a page comes back short.
 * @param first the first page's number (Tableau counts from 1, Superset from 0)
 */
export async function* pageByNumber<T>(
  first: number,
  pageSize: number,
  fetch: (pageNumber: number, pageSize: number) => Promise<Page<T>>,
): AsyncGenerator<T> {
  let seen = 0;
  for (let pageNumber = first; ; pageNumber++) {
    const page = await fetch(pageNumber, pageSize);
    yield* page.items;
    seen += page.items.length;
    if (page.items.length === 0 || page.items.length < pageSize) return;
    if (page.total !== undefined && seen >= page.total) return;
  }
}

/** Maps an async iterable lazily. */
export async function* mapAsync<T, R>(source: AsyncIterable<T>, fn: (item: T) => R): AsyncGenerator<R> {
  for await (const item of source) yield fn(item);
}
