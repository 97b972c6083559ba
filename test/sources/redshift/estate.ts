/**
 * The PostgreSQL side of the Redshift tests: tables, keys, comments and views a Redshift cluster would
 * show through pg_catalog. Late-binding views are zero-column views here (their columns, like on
 * Redshift, come from pg_get_late_binding_view_cols(), recorded); the materialized view is a view over
 * its `mv_tbl__` table, as Redshift stores it, and SVV_MV_INFO (recorded) names it.
 */
import type { PostgresServer } from '../../support/postgres-server.js';

export const BULK_TABLES = 250;
export const HOSTILE_SCHEMA = 'we"ird schema';
export const HOSTILE_TABLES: readonly string[] = [
  "Robert'); DROP TABLE sales.customers;--",
  'dot.ted',
  'Mixed Case',
  '$1',
  'child',
];

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function buildRedshiftEstate(pg: PostgresServer): Promise<void> {
  const hs = ident(HOSTILE_SCHEMA);
  await pg.query(`
    CREATE SCHEMA sales;
    CREATE TABLE sales.customers (id integer PRIMARY KEY, email varchar(200) NOT NULL UNIQUE, name varchar(100));
    COMMENT ON TABLE sales.customers IS 'People who buy things';
    COMMENT ON COLUMN sales.customers.id IS 'surrogate key';
    CREATE TABLE sales.orders (
      id bigint PRIMARY KEY,
      customer_id integer NOT NULL REFERENCES sales.customers (id),
      placed_at timestamp NOT NULL,
      UNIQUE (customer_id, placed_at)
    );
    CREATE TABLE sales.events (
      id integer NOT NULL, user_id integer, ts timestamp, payload varchar(65535), amount numeric(12,2),
      flag boolean, code char(3), note text, ratio double precision, score real, small smallint, big bigint,
      day date, at_tz timestamptz
    );
    COMMENT ON TABLE sales.events IS 'Click stream, DISTKEY(user_id) COMPOUND SORTKEY(ts, id)';
    CREATE VIEW sales.v_big_orders AS SELECT id, customer_id FROM sales.orders WHERE id > 100;
    CREATE VIEW sales.lbv_recent_events AS SELECT;
    CREATE VIEW sales.lbv_all_types AS SELECT;
    CREATE TABLE sales.mv_tbl__mv_daily_sales__0 (day date, total numeric(18,2));
    CREATE VIEW sales.mv_daily_sales AS SELECT day, total FROM sales.mv_tbl__mv_daily_sales__0;
    CREATE SCHEMA marketing;
    CREATE TABLE marketing.campaigns (id integer PRIMARY KEY, name varchar(80));
    CREATE TABLE marketing.tmp_scratch (id integer);
    CREATE SCHEMA ${hs};
    CREATE TABLE ${hs}.${ident(HOSTILE_TABLES[0]!)} (${ident('col "q"')} integer PRIMARY KEY);
    CREATE TABLE ${hs}.${ident('dot.ted')} (${ident('k, ey')} integer PRIMARY KEY, ${ident('Ünï')} text);
    CREATE TABLE ${hs}.${ident('Mixed Case')} (a integer, ${ident('B ""x')} integer, UNIQUE (a, ${ident('B ""x')}));
    CREATE TABLE ${hs}.${ident('$1')} (id integer);
    CREATE TABLE ${hs}.child (${ident('Parent "Id"')} integer REFERENCES ${hs}.${ident('dot.ted')} (${ident('k, ey')}));
  `);
  const bulk = Array.from(
    { length: BULK_TABLES },
    (_, i) => `CREATE TABLE bulk.t${String(i).padStart(4, '0')} (id integer PRIMARY KEY, v varchar(${10 + i}))`,
  );
  await pg.query(['CREATE SCHEMA bulk', ...bulk].join(';\n'));
}
