/**
 * Local mode's listing cache: the local orchestrator lists the estate once (during discover's count)
 * and gives each shard a source whose discover() replays that shard's part of the listing, instead of
 * every shard listing the whole estate again.
 *
 * Why: an Argo pod must list again to find its shard (no plan travels between pods), but in one local
 * process K shards re-listing N entities is K x N rows fetched, parsed and hashed: at 100 shards and
 * 10,000 tables, a million rows, which was a large share of a local run's CPU (bench/RESULTS.md).
 *
 * What stays the same: processShard, discover and finalize are the very functions the worker commands
 * run; only the source they are handed differs, and processShard still filters what it lists by
 * shardOf(), so a replayed shard goes through exactly the code an Argo pod does.
 *
 * Memory: the cache holds at most `maxEntities` descriptors (a few hundred bytes each). A larger
 * listing is dropped as soon as it passes the cap and every shard lists again as on Argo, so a local
 * run's memory stays bounded whatever the estate. A shard's part is released once handed out.
 */
import type { DiscoverableSource, EntityDescriptor } from '../sources/contract.js';
import { shardOf } from './shards.js';

/** Descriptors local mode keeps in memory to avoid re-listing per shard (about 20-40 MB). */
export const DEFAULT_LISTING_CACHE_ENTITIES = 100_000;

export interface ListingCacheOptions {
  /** Most descriptors held; above this the cache gives up and shards re-list. @default 100000 */
  readonly maxEntities?: number;
}

export class ListingCache {
  /** The listing recorded by the first complete pass; undefined until then, or after overflowing. */
  private listing?: EntityDescriptor[];
  private overflowed = false;
  private parts?: (EntityDescriptor[] | undefined)[];
  private readonly maxEntities: number;

  constructor(
    private readonly inner: DiscoverableSource,
    options: ListingCacheOptions = {},
  ) {
    this.maxEntities = options.maxEntities ?? DEFAULT_LISTING_CACHE_ENTITIES;
  }

  /** True once a complete listing within the cap is held. */
  get complete(): boolean {
    return this.listing !== undefined;
  }

  /**
   * The source with a recording discover(): the first complete pass is kept (up to the cap), later
   * passes replay it. Everything else goes to the wrapped source.
   */
  source(): DiscoverableSource {
    return withDiscover(this.inner, () => this.discover());
  }

  /**
   * The source shard `shard` of `shards` should use: discover() yields that shard's descriptors from
   * the cache, or the whole listing again (from the wrapped source) when nothing is cached. Each shard's
   * part is handed out once and then released.
   */
  shardSource(shard: number, shards: number): DiscoverableSource {
    if (!this.listing) return this.inner;
    if (!this.parts || this.parts.length !== shards) this.parts = this.partition(this.listing, shards);
    const part = this.parts[shard];
    if (!part) return this.inner;
    this.parts[shard] = undefined;
    return withDiscover(this.inner, async function* () {
      yield* part;
    });
  }

  /**
   * The number of entities of each shard, from the cached listing; undefined when nothing is cached
   * (shards then list again and their sizes are unknown until they do).
   */
  shardSizes(shards: number): number[] | undefined {
    if (!this.listing) return undefined;
    if (!this.parts || this.parts.length !== shards) this.parts = this.partition(this.listing, shards);
    return this.parts.map((part) => part?.length ?? 0);
  }

  private async *discover(): AsyncGenerator<EntityDescriptor> {
    if (this.listing) {
      yield* this.listing;
      return;
    }
    // Record only the first pass, and only while within the cap.
    let kept: EntityDescriptor[] | undefined = this.overflowed ? undefined : [];
    for await (const descriptor of this.inner.discover()) {
      if (kept) {
        if (kept.length < this.maxEntities) kept.push(descriptor);
        else {
          kept = undefined;
          this.overflowed = true;
        }
      }
      yield descriptor;
    }
    if (kept && !this.listing) this.listing = kept;
  }

  private partition(listing: readonly EntityDescriptor[], shards: number): EntityDescriptor[][] {
    const parts = Array.from({ length: shards }, (): EntityDescriptor[] => []);
    for (const descriptor of listing) parts[shardOf(descriptor.fqn, shards)]!.push(descriptor);
    return parts;
  }
}

/** `source` with another discover(). Methods are bound, as sources are class instances. */
function withDiscover(source: DiscoverableSource, discover: () => AsyncIterable<EntityDescriptor>): DiscoverableSource {
  return {
    type: source.type,
    testConnection: () => source.testConnection(),
    parents: () => source.parents(),
    discover,
    process: (batch) => source.process(batch),
    ...(source.listingScope ? { listingScope: source.listingScope.bind(source) } : {}),
    close: () => source.close(),
  };
}
