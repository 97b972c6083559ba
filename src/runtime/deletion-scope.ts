/**
 * The scope of mark-deleted: the containers (database schemas; the service for dashboard sources) that
 * this run's filters include and that it listed completely, plus the entity filter (tableFilterPattern /
 * dashboardFilterPattern). An entity outside the scope is never touched; an entity under a container
 * the run could not list is kept and reported (an incomplete listing).
 *
 * OpenMetadata's own rule is per schema: DatabaseServiceSource.mark_tables_as_deleted
 * (ingestion/src/metadata/ingestion/source/database/database_service.py, open-metadata/OpenMetadata)
 * loops over `_get_filtered_schema_names(return_fqn=True)` of the database being ingested and calls
 * `delete_entity_from_source(..., params={"database": schema_fqn})`, so tables of schemas (and databases)
 * outside the filters are never considered. We are stricter in two ways, both so that nothing this run
 * did not see is deleted: a table the table filter excludes is out of scope too (OpenMetadata would
 * delete it, as it never registers it), and a database the filters include but that could not be opened
 * stops mark-deleted for it instead of being skipped with a warning.
 */
import type { IngestionConfig } from '../config/schema.js';
import { compileFilter } from '../sources/common/filters.js';
import { buildFqn, splitFqn } from '../model/fqn.js';
import type { DiscoverableSource, ListingScope } from '../sources/contract.js';

export interface DeletionScope {
  /** Whether mark-deleted may consider this entity (its container was listed; the filter includes it). */
  readonly includes: (fqn: string) => boolean;
  /** The unlisted container holding this entity, if any. */
  readonly unlistedContainerOf: (fqn: string) => { readonly fqn: string; readonly reason: string } | undefined;
}

/** The source's listing scope, or the one its parents() imply (schemas; else the service). */
export async function listingScopeOf(
  source: Partial<Pick<DiscoverableSource, 'parents' | 'listingScope'>>,
): Promise<ListingScope> {
  if (source.listingScope) return source.listingScope();
  // A source that says nothing of what it listed has no scope: nothing is deleted.
  if (!source.parents) return { listed: [], unlisted: [] };
  // A table's container is its schema and a dashboard's its service: each kind only ever matches its own.
  const listed: string[] = [];
  for await (const parent of source.parents()) {
    if (parent.kind === 'databaseSchema' || parent.kind === 'dashboardService') listed.push(parent.fqn);
  }
  return { listed, unlisted: [] };
}

export function deletionScope(config: IngestionConfig, listing: ListingScope): DeletionScope {
  const sourceConfig = config.source.sourceConfig.config;
  const pattern =
    sourceConfig.type === 'DatabaseMetadata' ? sourceConfig.tableFilterPattern : sourceConfig.dashboardFilterPattern;
  const keep = compileFilter(pattern);
  const byFqn = sourceConfig.type === 'DatabaseMetadata' && sourceConfig.useFqnForFiltering;
  const listed = new Set(listing.listed);
  const unlisted = listing.unlisted.map((u) => ({ ...u, parts: splitFqn(u.fqn) }));
  return {
    includes(fqn) {
      const parts = splitFqn(fqn);
      if (!listed.has(buildFqn(...parts.slice(0, -1)))) return false;
      return keep(byFqn ? fqn : parts[parts.length - 1]!);
    },
    unlistedContainerOf(fqn) {
      const parts = splitFqn(fqn);
      const found = unlisted.find((u) => u.parts.length < parts.length && u.parts.every((p, i) => parts[i] === p));
      return found ? { fqn: found.fqn, reason: found.reason } : undefined;
    },
  };
}
