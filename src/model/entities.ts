/**
 * The data model sources produce and sinks write: OpenMetadata entity kinds and Create* requests.
 */

/** OpenMetadata entity kinds argo-ingest writes, named as in the REST paths of the sink. */
export type EntityKind =
  'databaseService' | 'database' | 'databaseSchema' | 'table' | 'dashboardService' | 'chart' | 'dashboard';

/** A Create* request body for one OpenMetadata entity, upserted with PUT by the sink. */
export interface UpsertRequest {
  readonly kind: EntityKind;
  /** Fully qualified name of the entity this creates (for logs, results and mark-deleted). */
  readonly fqn: string;
  /** The Create* body (createTable, createDashboard, ...), validated against OpenMetadata's schemas. */
  readonly body: Readonly<Record<string, unknown>>;
}
