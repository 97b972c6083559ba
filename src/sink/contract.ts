/**
 * Where create requests go: the OpenMetadata REST API (`metadata-rest`) or a JSON-lines file (`file`,
 * for dry runs). Both upsert; both are safe to call from many shards at once.
 */
import type { EntityKind, UpsertRequest } from '../model/entities.js';
import type { RetryBudget } from '../util/retry.js';
import type { DialectName } from './dialect.js';

export type UpsertResult = 'created' | 'updated';

/** One item of upsertMany: its result, or the SinkError of that item alone. */
export type BulkItemResult = UpsertResult | SinkError;

/** How a sink sends bodies: for the run log and `validate --output json`. */
export interface SinkMode {
  /** Body dialect (dialect.ts). */
  readonly dialect: DialectName;
  /** Tables: `bulk` (PUT /v1/tables/bulk, batches of chunkSize), `single` (one PUT each), `file`. */
  readonly tables: 'bulk' | 'single' | 'file';
  /** The version the server announced, when there is a server and check() has run. */
  readonly serverVersion?: string;
}

/**
 * Narrows listEntities. OpenMetadata 1.0.x filters tables by database only (no `service` filter), so
 * the REST sink lists a service's tables database by database; `database` (an FQN such as
 * `svc.shop`) restricts that to one database.
 */
export interface ListScope {
  readonly database?: string;
}

/** An entity already in OpenMetadata, as finalize needs it for mark-deleted. */
export interface ExistingEntity {
  readonly id: string;
  readonly fqn: string;
}

export interface Sink {
  /** Health / version / auth check at start-up; throws SinkError with one clear sentence. */
  check(): Promise<void>;
  /**
   * PUT the Create* body; the one place that retries a write's transient faults (network errors, 429,
   * 5xx), with the retryPolicy's backoff: up to `budget`'s retries when given (the runtime passes the
   * entity's, docs/runtime.md "Retries"), else retryPolicy.maxAttempts attempts. A SinkError it throws
   * is final for this request: `rejected` = this entity only; `auth` / `unreachable` = the whole run.
   */
  upsert(request: UpsertRequest, budget?: RetryBudget): Promise<UpsertResult>;
  /**
   * Upserts table requests in one call where the server has a bulk endpoint; undefined when it has
   * none (the caller then uses upsert). Results are in request order; an item's SinkError concerns
   * that item only, and the caller retries it with upsert. Throws a SinkError when the whole call
   * failed (auth; a 5xx / 429 / network fault that outlasted the retries of the batch).
   */
  upsertMany?(requests: readonly UpsertRequest[]): Promise<BulkItemResult[] | undefined>;
  /** The dialect and API mode in use (after check() for a server). */
  mode?(): SinkMode;
  /**
   * Entities of a kind under a service (name, not quoted), not deleted, for mark-deleted. A sink that
   * cannot list (file) does not have this method, and finalize skips mark-deleted with a message.
   */
  listEntities?(
    kind: Extract<EntityKind, 'table' | 'dashboard' | 'chart'>,
    service: string,
    scope?: ListScope,
  ): AsyncIterable<ExistingEntity>;
  /** Soft delete (`hardDelete=false`, `recursive=true`); an entity already gone (404) counts as done. */
  softDelete?(kind: Extract<EntityKind, 'table' | 'dashboard' | 'chart'>, id: string): Promise<void>;
  close(): Promise<void>;
}

/** An error the user can act on (wrong hostPort, bad token, server down); never contains the token. */
export class SinkError extends Error {
  constructor(
    message: string,
    readonly reason: 'auth' | 'unreachable' | 'rejected' | 'other' = 'other',
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SinkError';
  }
}
