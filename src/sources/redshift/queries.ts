/**
 * Every catalogue statement of the Redshift connector, each tagged with its dialect:
 * - `shared`: pg_catalog SQL that Redshift's leader node inherited from PostgreSQL 8 (pg_namespace,
 *   pg_class, pg_attribute, pg_description, pg_constraint, format_type, pg_get_viewdef); tests run these
 *   against a real PostgreSQL.
 * - `redshift`: Redshift-only system views and columns (svv_external_*, svv_mv_info,
 *   pg_get_late_binding_view_cols(), pg_attribute.attisdistkey / attsortkeyord); tests answer these from
 *   recorded result sets shaped like AWS's documentation of those views.
 * No statement is a SHOW (Redshift caps SHOW TABLES / SHOW COLUMNS at 10,000 rows) and none reads
 * pg_table_def (it only lists schemas on the search_path). Names are always `$n` parameters.
 */
export type StatementId =
  | 'version'
  | 'databases'
  | 'schemas'
  | 'tables'
  | 'table-details'
  | 'columns'
  | 'constraints'
  | 'external-schemas'
  | 'external-tables'
  | 'external-columns'
  | 'late-binding-view-columns'
  | 'dist-sort-keys'
  | 'materialized-views';

export interface Statement {
  readonly id: StatementId;
  readonly dialect: 'shared' | 'redshift';
  readonly sql: string;
}

/** `$from, $from+1, ...` for an IN list of `count` values. */
export function placeholders(count: number, from = 1): string {
  return Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');
}

const shared = (id: StatementId, sql: string): Statement => ({ id, dialect: 'shared', sql });
const redshift = (id: StatementId, sql: string): Statement => ({ id, dialect: 'redshift', sql });

/** pg_description rows of relations (as opposed to other catalogues' objects with the same oid). */
const RELATION_COMMENT = "d.classoid = 'pg_catalog.pg_class'::regclass";

/** A trivial statement that proves login and database. */
export const versionStatement = shared('version', 'SELECT version() AS version');

/** Databases of the cluster (only with ingestAllDatabases). padb_harvest is Redshift's internal one. */
export const databasesStatement = shared(
  'databases',
  "SELECT datname FROM pg_catalog.pg_database WHERE NOT datistemplate AND datname NOT IN ('padb_harvest', 'template0', 'template1') ORDER BY datname",
);

/** Local schemas of the connected database, without the system ones. */
export const schemasStatement = shared(
  'schemas',
  "SELECT n.nspname AS schema_name FROM pg_catalog.pg_namespace n WHERE substring(n.nspname, 1, 3) <> 'pg_' AND n.nspname NOT IN ('information_schema', 'catalog_history') ORDER BY n.nspname",
);

/** Tables and views of some schemas: names and relkind only. */
export function tablesStatement(schemas: number): Statement {
  return shared(
    'tables',
    `SELECT n.nspname AS schema_name, c.relname AS table_name, c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND n.nspname IN (${placeholders(schemas)}) ORDER BY n.nspname, c.relname`,
  );
}

/** Comment and view text of some relations of one schema ($1 = schema). */
export function tableDetailsStatement(tables: number): Statement {
  return shared(
    'table-details',
    `SELECT c.relname AS table_name, c.relkind, d.description, CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END AS view_definition FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND ${RELATION_COMMENT} AND d.objsubid = 0 WHERE n.nspname = $1 AND c.relname IN (${placeholders(tables, 2)})`,
  );
}

/** Columns of some relations of one schema ($1 = schema), in table then column order. */
export function columnsStatement(tables: number): Statement {
  return shared(
    'columns',
    `SELECT c.relname AS table_name, a.attname AS column_name, a.attnum AS ordinal, pg_catalog.format_type(a.atttypid, a.atttypmod) AS data_type, a.attnotnull AS not_null, d.description FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND ${RELATION_COMMENT} AND d.objsubid = a.attnum WHERE n.nspname = $1 AND c.relname IN (${placeholders(tables, 2)}) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum`,
  );
}

/**
 * Primary, unique and foreign keys (informational in Redshift) of some tables of one schema, as
 * pg_get_constraintdef text; the referred table comes from confrelid, not from parsing.
 */
export function constraintsStatement(tables: number): Statement {
  return shared(
    'constraints',
    `SELECT t.relname AS table_name, con.conname AS constraint_name, con.contype, pg_catalog.pg_get_constraintdef(con.oid) AS definition, fn.nspname AS referred_schema, ft.relname AS referred_table FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class t ON t.oid = con.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace LEFT JOIN pg_catalog.pg_class ft ON ft.oid = con.confrelid LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = ft.relnamespace WHERE n.nspname = $1 AND t.relname IN (${placeholders(tables, 2)}) AND con.contype IN ('p', 'u', 'f')`,
  );
}

/** Spectrum / federated schemas (SVV_EXTERNAL_SCHEMAS). */
export const externalSchemasStatement = redshift(
  'external-schemas',
  'SELECT schemaname AS schema_name FROM svv_external_schemas ORDER BY schemaname',
);

/** External tables of some schemas (SVV_EXTERNAL_TABLES); they are not in pg_class. */
export function externalTablesStatement(schemas: number): Statement {
  return redshift(
    'external-tables',
    `SELECT schemaname AS schema_name, tablename AS table_name FROM svv_external_tables WHERE schemaname IN (${placeholders(schemas)}) ORDER BY schemaname, tablename`,
  );
}

/** Columns of some external tables of one schema (SVV_EXTERNAL_COLUMNS, Hive type spellings). */
export function externalColumnsStatement(tables: number): Statement {
  return redshift(
    'external-columns',
    `SELECT tablename AS table_name, columnname AS column_name, external_type, columnnum, part_key, is_nullable FROM svv_external_columns WHERE schemaname = $1 AND tablename IN (${placeholders(tables, 2)}) ORDER BY tablename, columnnum`,
  );
}

/** Columns of late-binding views (`WITH NO SCHEMA BINDING`), which pg_attribute does not hold. */
export function lateBindingViewColumnsStatement(views: number): Statement {
  return redshift(
    'late-binding-view-columns',
    `SELECT view_name, col_name, col_type, col_num FROM pg_catalog.pg_get_late_binding_view_cols() cols(view_schema name, view_name name, col_name name, col_type varchar, col_num int) WHERE view_schema = $1 AND view_name IN (${placeholders(views, 2)}) ORDER BY view_name, col_num`,
  );
}

/** DISTKEY and SORTKEY columns of some tables of one schema (Redshift's pg_attribute columns). */
export function distSortKeysStatement(tables: number): Statement {
  return redshift(
    'dist-sort-keys',
    `SELECT c.relname AS table_name, a.attname AS column_name, a.attisdistkey, a.attsortkeyord FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid WHERE n.nspname = $1 AND c.relname IN (${placeholders(tables, 2)}) AND a.attnum > 0 AND (a.attisdistkey OR a.attsortkeyord <> 0) ORDER BY c.relname, a.attnum`,
  );
}

/** Materialized views of some schemas (SVV_MV_INFO); pg_class shows them as plain views. */
export function materializedViewsStatement(schemas: number): Statement {
  return redshift(
    'materialized-views',
    `SELECT schema_name, name FROM svv_mv_info WHERE schema_name IN (${placeholders(schemas)})`,
  );
}
