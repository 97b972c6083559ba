/**
 * The catalogue queries of the PostgreSQL connector, on pg_catalog only (information_schema hides objects
 * the user has no privilege on, and is slower). Every value is a bound parameter; names are compared as
 * `name` (byte order, collation "C"), so the order is the same on every server.
 */

/** relkind -> OpenMetadata tableType. Partitions (relispartition) are never listed: their parent is. */
export const RELKIND_TABLE_TYPE = {
  r: 'Regular',
  p: 'Partitioned',
  f: 'Foreign',
  v: 'View',
  m: 'MaterializedView',
} as const;

export type Relkind = keyof typeof RELKIND_TABLE_TYPE;

/** Schemas that are PostgreSQL's own. */
const USER_SCHEMA = `n.nspname <> 'information_schema' and n.nspname !~ '^pg_'`;

/**
 * Every non-template database, with whether this user may connect. A database without CONNECT is
 * returned too (not filtered out in SQL): if OpenMetadata holds tables of it, the run must say that it
 * could not list it rather than treat its tables as deleted.
 */
export interface DatabaseRow {
  readonly name: string;
  readonly allow_conn: boolean;
  readonly can_connect: boolean;
}

export const LIST_DATABASES = `
select d.datname as name, d.datallowconn as allow_conn, has_database_privilege(d.datname, 'CONNECT') as can_connect
from pg_database d
where not d.datistemplate
order by d.datname`;

export interface SchemaRow {
  readonly name: string;
  readonly description: string | null;
}

export const LIST_SCHEMAS = `
select n.nspname as name, obj_description(n.oid, 'pg_namespace') as description
from pg_namespace n
where ${USER_SCHEMA}
order by n.nspname`;

export interface RelationNameRow {
  readonly schema: string;
  readonly name: string;
  readonly kind: Relkind;
  /** relnatts: columns including dropped ones, an upper bound for the batch column budget. */
  readonly columns: number;
}

/**
 * One page of relation names after the key (schema, name): keyset paging keeps discovery memory bounded
 * by the page, not the estate. $1 relkinds, $2/$3 the last key ('' to start), $4 page size.
 */
export const LIST_RELATIONS_PAGE = `
select n.nspname as schema, c.relname as name, c.relkind as kind, c.relnatts::int as columns
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind = any($1::"char"[]) and not c.relispartition and ${USER_SCHEMA}
  and (n.nspname, c.relname) > ($2::name, $3::name)
order by n.nspname, c.relname
limit $4`;

export interface ColumnRow {
  readonly name: string;
  readonly position: number;
  readonly not_null: boolean;
  readonly display: string;
  readonly typmod: number;
  readonly typname: string;
  readonly typtype: string;
  readonly elem_typname: string | null;
  readonly elem_typtype: string | null;
  readonly description: string | null;
}

export interface ConstraintRow {
  readonly type: 'p' | 'u' | 'f';
  readonly name: string;
  readonly columns: string[];
  readonly ref_schema: string | null;
  readonly ref_table: string | null;
  readonly ref_columns: string[] | null;
}

/** One relation of a batch with everything its createTable body needs. */
export interface RelationRow {
  readonly name: string;
  readonly kind: Relkind;
  readonly description: string | null;
  /** The SELECT of a view or materialized view (pg_get_viewdef), null for other relations. */
  readonly view_definition: string | null;
  /** In attnum order; null when the relation has none. */
  readonly columns: readonly ColumnRow[] | null;
  /** Primary, unique and foreign keys, by type then name, columns in key order; null when none. */
  readonly keys: readonly ConstraintRow[] | null;
}

/**
 * The batch's relations in one schema with their columns and keys, in one statement: $1 schema,
 * $2 relation names, $3 relkinds. Columns and keys come as JSON arrays (pg parses them with JSON.parse).
 *
 * Why one statement and not three (relations, then columns and keys by oid): a local run at parallelism
 * 50 sends a batch of a few tables per shard; with three statements each batch paid three round trips
 * and three result sets of small rows to parse, and a shard's second and third queries queued behind the
 * other shards' first ones, so no shard could start upserting until nearly all had read their catalogue.
 * Measured with bench/profile.ts (bench/RESULTS.md).
 *
 * Domains are resolved to their base type (and the domain's typmod); arrays carry their element type
 * (itself resolved through a domain).
 */
export const DESCRIBE_BATCH = `
select c.relname as name, c.relkind as kind, obj_description(c.oid, 'pg_class') as description,
       case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid, true) end as view_definition,
       (select json_agg(json_build_object(
                 'name', a.attname,
                 'position', a.attnum,
                 'not_null', a.attnotnull or (t.typtype = 'd' and t.typnotnull),
                 'display', format_type(a.atttypid, a.atttypmod),
                 'typmod', case when t.typtype = 'd' and a.atttypmod = -1 then t.typtypmod else a.atttypmod end,
                 'typname', b.typname, 'typtype', b.typtype,
                 'elem_typname', e.typname, 'elem_typtype', e.typtype,
                 'description', col_description(a.attrelid, a.attnum)) order by a.attnum)
        from pg_attribute a
        join pg_type t on t.oid = a.atttypid
        join pg_type b on b.oid = case when t.typtype = 'd' then t.typbasetype else t.oid end
        left join pg_type e0 on e0.oid = b.typelem and b.typcategory = 'A'
        left join pg_type e on e.oid = case when e0.typtype = 'd' then e0.typbasetype else e0.oid end
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
       (select json_agg(json_build_object(
                 'type', k.contype,
                 'name', k.conname,
                 'columns', array(select a.attname::text from unnest(k.conkey) with ordinality as u(attnum, i)
                                  join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum order by u.i),
                 'ref_schema', rn.nspname,
                 'ref_table', rc.relname,
                 'ref_columns', case when k.contype = 'f' then
                   array(select a.attname::text from unnest(k.confkey) with ordinality as u(attnum, i)
                         join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.attnum order by u.i)
                 end) order by k.contype, k.conname)
        from pg_constraint k
        left join pg_class rc on rc.oid = k.confrelid
        left join pg_namespace rn on rn.oid = rc.relnamespace
        where k.conrelid = c.oid and k.contype in ('p', 'u', 'f')) as keys
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1::name and c.relname = any($2::name[]) and c.relkind = any($3::"char"[])
order by c.relname`;
