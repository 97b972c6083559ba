/**
 * The DiscoverableSource contract (DESIGN.md, "The runtime contract"). Every connector implements it;
 * the runtime (discover / process / finalize, local or on Argo) only ever talks to this interface.
 */
import type { FilterPattern } from '../config/filter-pattern.js';
import type { SourceConfig } from '../config/schema.js';
import type { RetryPolicyLike } from '../util/retry.js';
import type { UpsertRequest } from '../model/entities.js';
import type { Logger } from '../util/logger.js';

export type { EntityKind, UpsertRequest } from '../model/entities.js';

/** One unit of work: a table, a view, a dashboard. Cheap to list; holds no heavy metadata. */
export interface EntityDescriptor {
  /** Fully qualified name: the stable identity used for sharding, retries and mark-deleted. */
  readonly fqn: string;
  /** `table` for database sources, `dashboard` for dashboard sources. */
  readonly type: 'table' | 'dashboard';
  /** Light metadata the source needs again in process() (schema name, table kind, API id, ...). */
  readonly meta?: Readonly<Record<string, string | number | boolean | null>>;
}

/** The outcome for one entity of a processed batch. */
export type EntityOutcome =
  | { readonly fqn: string; readonly ok: true; readonly requests: readonly UpsertRequest[] }
  | { readonly fqn: string; readonly ok: false; readonly error: string; readonly retryable: boolean };

export interface SourceOptions {
  readonly logger: Logger;
  /** Aborted when the run is cancelled; long calls should give up. */
  readonly signal?: AbortSignal;
  /** How many requests the source may have in flight to the upstream system. */
  readonly concurrency: number;
}

/** What a connector gets besides its `source` section: the runtime's options and the retry policy. */
export interface SourceContext extends SourceOptions {
  /** How HTTP connectors retry their vendor's transient answers (the config's retryPolicy). */
  readonly retryPolicy: RetryPolicyLike;
}

export interface DiscoverableSource {
  /** `source.type` of the config (`postgres`, `looker`, ...). */
  readonly type: string;
  /** Connects and authenticates; throws SourceError with one clear sentence on failure. */
  testConnection(): Promise<void>;
  /** Container entities (service, databases, schemas / dashboard service), in creation order. */
  parents(): AsyncIterable<UpsertRequest>;
  /** Every entity to ingest, after filter patterns, in a deterministic order. Names only: no heavy calls. */
  discover(): AsyncIterable<EntityDescriptor>;
  /**
   * Create requests for a batch of entities (one batch = entities of one schema / page where the source
   * can, so SQL sources issue O(1) metadata queries per batch). A failure of one entity is an outcome
   * with `ok: false`; throw only when the whole batch cannot run (connection lost, auth).
   */
  process(batch: readonly EntityDescriptor[]): Promise<EntityOutcome[]>;
  /**
   * The containers this run's filters include, split into those listed completely and those that could
   * not be listed (the deletion scope, docs/runtime.md "Mark deleted"). Optional: without it the runtime
   * takes the database schemas (or, for dashboard sources, the service) that parents() yields as listed.
   */
  listingScope?(): Promise<ListingScope>;
  /** Releases connections. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * What a source listed, by container FQN (`service.database.schema` for database sources, `service` for
 * dashboard sources). Mark-deleted only considers entities directly under a `listed` container; one
 * under an `unlisted` container is kept, and the run names the container and why.
 */
export interface ListingScope {
  readonly listed: readonly string[];
  /** Containers the filters include that could not be listed: a database or schema FQN and why. */
  readonly unlisted: readonly { readonly fqn: string; readonly reason: string }[];
}

/** Every connector lists its entities (discover) and processes them in batches. */
export type Source = DiscoverableSource;

/**
 * Builds a connector's source from the `source` section of a config whose `${VAR}`s are already
 * substituted, and the runtime's options: a connector never sees the rest of the config.
 */
export type SourceFactory = (source: SourceConfig, context: SourceContext) => Source;

/** Filters from sourceConfig.config, resolved for the source. */
export interface SourceFilters {
  readonly database?: FilterPattern;
  readonly schema?: FilterPattern;
  readonly table?: FilterPattern;
  readonly dashboard?: FilterPattern;
  readonly chart?: FilterPattern;
  /** Match filters against fully qualified names instead of plain names. @default false */
  readonly useFqnForFiltering?: boolean;
}

/**
 * An error the user can act on: a wrong password, an unreachable host. The message is one sentence
 * that names the cause and the fix, and never contains a secret.
 */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly reason: 'auth' | 'unreachable' | 'config' | 'permission' | 'other' = 'other',
  ) {
    super(message);
    this.name = 'SourceError';
  }
}
