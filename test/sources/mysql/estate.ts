/**
 * The MariaDB estate the MySQL connector tests read: a shop schema with keys, comments and views, a
 * bulk schema of hundreds of tables, a table with every common column type, and hostile names.
 */
import type { MariaDbServer } from '../../support/mariadb-server.js';

/** Backtick quoting for the test's own DDL (the connector itself never splices names). */
export const q = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

export const BULK_TABLES = 320;

/** Names that would break SQL if they were ever spliced into a statement. */
export const HOSTILE_SCHEMA = "we'ird`schema";
export const HOSTILE_TABLES: readonly string[] = [
  "x'); DROP TABLE shop.customers; --",
  'back`tick',
  'dot.ted',
  'Ünïcödé 表',
  'Orders',
  'orders',
  "? OR '1'='1",
];

export async function buildMysqlEstate(db: MariaDbServer): Promise<void> {
  await db.query(`
    CREATE DATABASE shop;
    CREATE TABLE shop.customers (
      id INT NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'surrogate key',
      email VARCHAR(200) NOT NULL UNIQUE,
      name VARCHAR(100) NULL COMMENT 'customer''s "display" name'
    ) COMMENT 'People who buy things';
    CREATE TABLE shop.orders (
      id BIGINT NOT NULL PRIMARY KEY,
      customer_id INT NOT NULL,
      placed_at DATETIME NOT NULL,
      CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES shop.customers (id)
    );
    CREATE TABLE shop.order_lines (
      order_id BIGINT NOT NULL,
      line_no INT NOT NULL,
      sku CHAR(12) NOT NULL,
      quantity DECIMAL(10,2) NOT NULL,
      PRIMARY KEY (order_id, line_no),
      UNIQUE KEY uq_sku_per_order (order_id, sku),
      CONSTRAINT fk_lines_order FOREIGN KEY (order_id) REFERENCES shop.orders (id)
    ) COMMENT 'One row per ordered item';
    CREATE VIEW shop.big_orders AS SELECT id, customer_id FROM shop.orders WHERE id > 100;
    CREATE TABLE shop.gone_base (id INT);
    CREATE VIEW shop.broken_view AS SELECT id FROM shop.gone_base;
    DROP TABLE shop.gone_base;
    CREATE SEQUENCE shop.order_seq;
    CREATE DATABASE analytics;
    CREATE TABLE analytics.events (id BIGINT PRIMARY KEY, kind VARCHAR(20));
    CREATE TABLE analytics.tmp_scratch (id INT);
    CREATE TABLE analytics.customer_ref (
      customer_id INT NOT NULL,
      CONSTRAINT fk_ref_customer FOREIGN KEY (customer_id) REFERENCES shop.customers (id)
    );
    CREATE DATABASE staging_area;
    CREATE TABLE staging_area.raw_dump (payload TEXT);
  `);

  const bulk = Array.from(
    { length: BULK_TABLES },
    (_, i) =>
      `CREATE TABLE bulk.t${String(i).padStart(4, '0')} (id INT PRIMARY KEY, v${i % 7} VARCHAR(${10 + (i % 50)}) COMMENT 'col ${i}') COMMENT 'bulk table ${i}'`,
  );
  await db.query(['CREATE DATABASE bulk', ...bulk].join(';\n'));

  await db.query(`
    CREATE DATABASE types;
    CREATE TABLE types.all_types (
      c_tinyint TINYINT, c_bool BOOLEAN, c_smallint SMALLINT, c_mediumint MEDIUMINT, c_int INT UNSIGNED,
      c_integer INTEGER, c_bigint BIGINT, c_decimal DECIMAL(12,3), c_numeric NUMERIC(5), c_float FLOAT,
      c_double DOUBLE, c_real REAL, c_bit BIT(8),
      c_char CHAR(10), c_varchar VARCHAR(255), c_tinytext TINYTEXT, c_text TEXT, c_mediumtext MEDIUMTEXT,
      c_longtext LONGTEXT, c_binary BINARY(16), c_varbinary VARBINARY(64), c_tinyblob TINYBLOB, c_blob BLOB,
      c_mediumblob MEDIUMBLOB, c_longblob LONGBLOB, c_enum ENUM('a','b''c'), c_set SET('x','y'), c_json JSON,
      c_date DATE, c_time TIME(3), c_datetime DATETIME(6), c_timestamp TIMESTAMP NULL, c_year YEAR,
      c_geometry GEOMETRY, c_point POINT, c_linestring LINESTRING, c_polygon POLYGON, c_multipoint MULTIPOINT,
      c_multilinestring MULTILINESTRING, c_multipolygon MULTIPOLYGON, c_geometrycollection GEOMETRYCOLLECTION,
      c_uuid UUID, c_inet4 INET4, c_inet6 INET6
    );
  `);

  await db.query(`CREATE DATABASE ${q(HOSTILE_SCHEMA)}`);
  for (const name of HOSTILE_TABLES) {
    await db.query(`CREATE TABLE ${q(HOSTILE_SCHEMA)}.${q(name)} (${q(`col ${name}`)} INT COMMENT ?)`, [
      `comment of ${name}`,
    ]);
  }
}
