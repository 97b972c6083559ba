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
  /** Shards that may run at the same time (pods on Argo, concurrent shards locally). */
  readonly parallelism: number;
  /** Shards per parallel slot, so that a slow shard does not leave the other slots idle at the end. */
  readonly shardFactor: number;
  /** Where shards run: pods (`argo`, the default) pay a start-up per shard; in-process shards (`local`) do not. */
  readonly orchestrator?: 'argo' | 'local';
}

/**
 * The most shards one run may have. Every shard's result line (at most RESULT_MAX_BYTES) travels to
 * finalize in its pod's ARGO_TEMPLATE (under 128 KiB) and stays on the shard's nodes in the Workflow
 * status (under etcd's limit); 1,000 shards also keep the node count far from the sizes at which Argo
 * slows down. test/manifests/scale.test.ts checks both at this bound.
 */
export const MAX_SHARDS = 1000;

/**
 * Below this many entities per shard a worker pod spends most of its life starting (image, Node.js,
 * connections: seconds) rather than ingesting (tens of milliseconds per table). In-process shards
 * (local mode) start for free and take 1.
 */
export const MIN_ENTITIES_PER_SHARD = 5;

/** The floor of entities per shard for where the shards run. */
export function minEntitiesPerShard(orchestrator: ShardCountOptions['orchestrator']): number {
  return orchestrator === 'local' ? 1 : MIN_ENTITIES_PER_SHARD;
}

/**
 * K, the shard count, from the number of entities N, parallelism P and shardFactor F:
 *
 *   cap = min(P x F, 1000), m = 5 on Argo (1 in local mode)
 *   N >= P:  K = min(cap, max(P, ceil(N / m)))   every parallel slot gets work; more shards (up to F per
 *                                                slot) only while each still has ~m entities
 *   N <  P:  K = max(1, ceil(N / m))             a small estate: a pod per ~5 entities, not per entity
 *
 * chunkSize is a batch size inside a shard and plays no part. 758 tables at P = 50, F = 2 give 100
 * shards; 40 tables at P = 4 give 8.
 */
export function chooseShardCount(entities: number, options: ShardCountOptions): number {
  const byFloor = Math.ceil(entities / minEntitiesPerShard(options.orchestrator));
  const parallelism = Math.max(1, options.parallelism);
  const shards = entities >= parallelism ? Math.max(parallelism, byFloor) : byFloor;
  return Math.max(1, Math.min(shards, maxShardCount(options)));
}

/** The most shards a run with these options can have, whatever the number of entities. */
export function maxShardCount(options: ShardCountOptions): number {
  return Math.min(Math.max(1, options.parallelism) * Math.max(1, options.shardFactor), MAX_SHARDS);
}
