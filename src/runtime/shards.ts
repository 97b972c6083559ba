/**
 * Stable shard assignment and the choice of the shard count (DESIGN.md "The Argo shape", 2-3).
 *
 * An entity belongs to shard `fnv1a32(fqn) mod K`: every process pod (or in-process shard) lists the
 * entities again and keeps its own, so a retried shard redoes exactly the same entities and no plan has
 * to travel between steps.
 */

/** FNV-1a, 32-bit, over the UTF-8 bytes of `text`. Stable across processes, platforms and versions. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    // Multiply by the FNV prime 16777619 with 32-bit overflow (Math.imul keeps it exact).
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The shard (0-based) that owns the entity `fqn` when there are `shards` shards. */
export function shardOf(fqn: string, shards: number): number {
  if (!Number.isInteger(shards) || shards < 1)
    throw new RangeError(`shard count must be a positive integer, not ${shards}`);
  return fnv1a32(fqn) % shards;
}

export interface ShardCountOptions {
  /** Entities per process() batch; a shard gets at least about one batch of work. */
  readonly chunkSize: number;
  /** Shards that may run at the same time. */
  readonly parallelism: number;
  /** Shards per parallel slot, so that a slow shard does not leave the other slots idle at the end. */
  readonly shardFactor: number;
}

/**
 * The most shards one run may have. Every shard's result (a few hundred bytes, up to ~2 KB with its
 * first failures) is an output parameter that Argo keeps in the Workflow object, and that object must
 * stay well under etcd's 1.5 MiB limit; 1,000 shards also keep the node count far from the sizes at
 * which Argo slows down (DESIGN.md, "The Argo shape" 1).
 */
export const MAX_SHARDS = 1000;

/**
 * K = min(ceil(entities / chunkSize), parallelism x shardFactor, MAX_SHARDS), at least 1.
 *
 * Small estates get few shards (a pod per handful of tables costs more in start-up than it saves);
 * large ones get parallelism x shardFactor shards, which bounds the Workflow's node count (and so its
 * size in etcd) independently of the number of entities.
 */
export function chooseShardCount(entities: number, options: ShardCountOptions): number {
  const byWork = Math.ceil(entities / Math.max(1, options.chunkSize));
  return Math.max(1, Math.min(byWork, maxShardCount(options)));
}

/** The most shards a run with these options can have, whatever the number of entities. */
export function maxShardCount(options: Omit<ShardCountOptions, 'chunkSize'>): number {
  return Math.min(Math.max(1, options.parallelism) * Math.max(1, options.shardFactor), MAX_SHARDS);
}
