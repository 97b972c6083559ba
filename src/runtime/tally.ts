/**
 * The counts of one shard's run (entities succeeded / failed, entities created / updated, the first
 * failures) and the ShardResult they make, for the process step.
 */
import { MAX_REPORTED_FAILURES, type ShardResult } from './worker-contract.js';

export class ShardTally {
  private readonly started = Date.now();
  private succeeded = 0;
  private failed = 0;
  private created = 0;
  private updated = 0;
  private readonly failures: { fqn: string; error: string }[] = [];

  /** Entities counted so far, successful or not. */
  get done(): number {
    return this.succeeded + this.failed;
  }

  /** An entity upserted: `created` / `updated` are the entities it created and updated. */
  succeed(created: number, updated: number): void {
    this.succeeded++;
    this.created += created;
    this.updated += updated;
  }

  /** A failed entity; only the first MAX_REPORTED_FAILURES are reported. */
  fail(fqn: string, error: string): void {
    this.failed++;
    if (this.failures.length < MAX_REPORTED_FAILURES) this.failures.push({ fqn, error });
  }

  /** The result of shard `shard` of `shards` that had `entities` entities; its duration runs from construction. */
  result(shard: number, shards: number, entities: number): ShardResult {
    return {
      shard,
      shards,
      entities,
      succeeded: this.succeeded,
      failed: this.failed,
      created: this.created,
      updated: this.updated,
      failures: this.failures,
      durationMs: Date.now() - this.started,
    };
  }
}
