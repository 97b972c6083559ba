/**
 * The seam between the generic catalogue-view source (catalog-source.ts) and one engine (Snowflake,
 * SQL Server, Oracle, BigQuery). An engine answers a handful of catalogue questions; the generic source
 * does filters, ordering, FQNs, parents, batching and per-table outcomes, so each connector only owns
 * its SQL (or API calls) and its type mapping.
 */
import type { ColumnInfo, OmTableType, TableConstraintInfo } from '../common/requests.js';

/** A schema as the engine stores it. */
export interface SchemaRef {
  /** The name as stored in the catalogue (what queries bind). */
  readonly stored: string;
  readonly description?: string;
}

/** A table or view as listed by discovery: names and kind only. */
export interface TableRef {
  /** Schema name as stored in the catalogue. */
  readonly schema: string;
  /** Table name as stored in the catalogue. */
  readonly stored: string;
  readonly tableType: OmTableType;
}

/** A column with nested fields (BigQuery RECORD / STRUCT); sent as OpenMetadata column `children`. */
export interface NestedColumnInfo extends ColumnInfo {
  readonly children?: readonly NestedColumnInfo[];
}

/** What process() needs for one table; column and constraint names are already display names. */
export interface TableDetail {
  readonly description?: string;
  /** Overrides the discovered type (e.g. Snowflake's IS_SECURE turns a View into a SecureView). */
  readonly tableType?: OmTableType;
  readonly columns: readonly NestedColumnInfo[];
  /**
   * Every key constraint of the table; the generic source moves single-column PRIMARY KEY / UNIQUE
   * onto the column (placeKeyConstraints), so engines leave the columns' `constraint` unset.
   */
  readonly constraints?: readonly TableConstraintInfo[];
  /**
   * The SQL of a view or materialized view. Sent as createTable `schemaDefinition`; the sink renames it
   * `viewDefinition` for OpenMetadata 1.0.x (src/sink/dialect.ts).
   */
  readonly viewDefinition?: string;
}

/**
 * Builds the FQN of a referred column for a foreign key from stored names (the generic source applies
 * display names and the service name).
 */
export type ColumnFqn = (database: string, schema: string, table: string, column: string) => string;

export interface CatalogEngine {
  /**
   * Maps a stored identifier to the name shown in OpenMetadata (Snowflake and Oracle store unquoted
   * identifiers upper-case and OpenMetadata shows them lower-case). @default identity
   */
  displayName?(stored: string): string;
  /** Connects and runs a trivial query; throws SourceError with one clear sentence. */
  testConnection(): Promise<void>;
  /** Databases (projects for BigQuery) to ingest, as stored, before filters. */
  listDatabases(): Promise<readonly string[]>;
  /** Schemas (datasets) of a database: one catalogue query / API listing. System schemas excluded. */
  listSchemas(database: string): Promise<readonly SchemaRef[]>;
  /** Tables and views of a database or of some of its schemas: one query per database or schema. */
  listTables(database: string, schemas: readonly SchemaRef[]): Promise<readonly TableRef[]>;
  /**
   * Metadata of some tables of one schema, with O(1) queries whatever the number of tables. A table
   * missing from the result, or mapped to an Error, becomes a failed outcome; throwing fails the batch.
   */
  describeTables(
    database: string,
    schema: string,
    tables: readonly TableRef[],
    referredColumn: ColumnFqn,
  ): Promise<ReadonlyMap<string, TableDetail | Error>>;
  close(): Promise<void>;
}
