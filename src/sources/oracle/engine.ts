/**
 * Oracle catalogue queries on the ALL_* dictionary views (what the user may see). A schema is a user
 * (ALL_USERS, Oracle-maintained users excluded). Per database: ALL_USERS, then ALL_TABLES / ALL_VIEWS /
 * ALL_MVIEWS for the kept owners. Per schema batch: ALL_TAB_COLUMNS with ALL_COL_COMMENTS,
 * ALL_TAB_COMMENTS, ALL_CONSTRAINTS with ALL_CONS_COLUMNS, ALL_VIEWS text when the batch has views
 * and ALL_MVIEWS query text when it has materialized views. Owner and table names are named binds (`:owner`, `:t0`); no name is ever written into SQL.
 *
 * OpenMetadata's Oracle connector (through SQLAlchemy) shows the whole service as one database named
 * `default` and lower-cases case-insensitive (upper-case) names; this engine does the same, so FQNs match.
 */
import { asRow } from '../sql-common/rows.js';
import type { TableConstraintInfo } from '../common/requests.js';
import { LazyClient } from '../sql-common/lazy-client.js';
import type { CatalogEngine, ColumnFqn, SchemaRef, TableDetail, TableRef } from '../sql-common/engine.js';
import { byOrdinal, chunked, groupBy, lowerCaseInsensitive, text } from '../sql-common/names.js';
import type { OracleClient, OracleRow } from './client.js';
import type { OracleConnection } from '../../config/connections/oracle.js';
import { oracleSourceError } from './errors.js';
import { oracleColumn, oracleColumnRowSpec, type OracleColumnRow } from './types.js';

/** Oracle allows 1,000 expressions in an IN list. */
const IN_LIST = 1000;
export const ORACLE_DATABASE = 'default';

export class OracleEngine implements CatalogEngine {
  private readonly client: LazyClient<Readonly<Record<string, string>>>;

  constructor(
    private readonly connection: OracleConnection,
    connect: () => Promise<OracleClient>,
  ) {
    this.client = new LazyClient(connect, (error) => oracleSourceError(error, connection));
  }

  displayName(stored: string): string {
    return lowerCaseInsensitive(stored);
  }

  async testConnection(): Promise<void> {
    await this.client.query('SELECT 1 AS OK FROM DUAL');
  }

  listDatabases(): Promise<readonly string[]> {
    return Promise.resolve([ORACLE_DATABASE]);
  }

  async listSchemas(): Promise<readonly SchemaRef[]> {
    const rows = await this.client.query(
      "SELECT USERNAME FROM ALL_USERS WHERE ORACLE_MAINTAINED = 'N' ORDER BY USERNAME",
    );
    return rows.map((r) => ({ stored: String(r.USERNAME) }));
  }

  async listTables(_database: string, schemas: readonly SchemaRef[]): Promise<readonly TableRef[]> {
    const out: TableRef[] = [];
    for (const part of chunked(
      schemas.map((s) => s.stored),
      IN_LIST,
    )) {
      const binds = Object.fromEntries(part.map((name, i) => [`s${i}`, name]));
      const owners = part.map((_, i) => `:s${i}`).join(', ');
      // A materialized view also has a container table in ALL_TABLES: list it once, as the view.
      const rows = await this.client.query(
        `SELECT t.OWNER, t.TABLE_NAME, 'TABLE' AS KIND FROM ALL_TABLES t WHERE t.OWNER IN (${owners}) AND t.NESTED = 'NO' AND t.SECONDARY = 'N' AND t.DROPPED = 'NO' AND t.IOT_NAME IS NULL AND NOT EXISTS (SELECT 1 FROM ALL_MVIEWS m WHERE m.OWNER = t.OWNER AND m.MVIEW_NAME = t.TABLE_NAME) UNION ALL SELECT v.OWNER, v.VIEW_NAME, 'VIEW' FROM ALL_VIEWS v WHERE v.OWNER IN (${owners}) UNION ALL SELECT m.OWNER, m.MVIEW_NAME, 'MATERIALIZED VIEW' FROM ALL_MVIEWS m WHERE m.OWNER IN (${owners}) ORDER BY 1, 2`,
        binds,
      );
      for (const r of rows) {
        const kind = String(r.KIND);
        out.push({
          schema: String(r.OWNER),
          stored: String(r.TABLE_NAME),
          tableType: kind === 'VIEW' ? 'View' : kind === 'MATERIALIZED VIEW' ? 'MaterializedView' : 'Regular',
        });
      }
    }
    return out;
  }

  async describeTables(
    database: string,
    owner: string,
    tables: readonly TableRef[],
    referredColumn: ColumnFqn,
  ): Promise<ReadonlyMap<string, TableDetail | Error>> {
    const columns: OracleRow[] = [];
    const comments: OracleRow[] = [];
    const constraints: OracleRow[] = [];
    const views: OracleRow[] = [];
    const mviews: OracleRow[] = [];
    const hasViews = tables.some((t) => t.tableType === 'View');
    const hasMaterializedViews = tables.some((t) => t.tableType === 'MaterializedView');
    for (const part of chunked(
      tables.map((t) => t.stored),
      IN_LIST,
    )) {
      const binds: Record<string, string> = { owner };
      part.forEach((name, i) => (binds[`t${i}`] = name));
      const names = part.map((_, i) => `:t${i}`).join(', ');
      columns.push(
        ...(await this.client.query(
          `SELECT c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_ID, c.DATA_TYPE, c.DATA_LENGTH, c.CHAR_LENGTH, c.CHAR_USED, c.DATA_PRECISION, c.DATA_SCALE, c.NULLABLE, cc.COMMENTS FROM ALL_TAB_COLUMNS c LEFT JOIN ALL_COL_COMMENTS cc ON cc.OWNER = c.OWNER AND cc.TABLE_NAME = c.TABLE_NAME AND cc.COLUMN_NAME = c.COLUMN_NAME WHERE c.OWNER = :owner AND c.TABLE_NAME IN (${names}) ORDER BY c.TABLE_NAME, c.COLUMN_ID`,
          binds,
        )),
      );
      comments.push(
        ...(await this.client.query(
          `SELECT TABLE_NAME, COMMENTS FROM ALL_TAB_COMMENTS WHERE OWNER = :owner AND TABLE_NAME IN (${names}) AND COMMENTS IS NOT NULL`,
          binds,
        )),
      );
      constraints.push(
        ...(await this.client.query(
          `SELECT c.TABLE_NAME, c.CONSTRAINT_NAME, c.CONSTRAINT_TYPE, cc.COLUMN_NAME, cc.POSITION, r.OWNER AS R_OWNER, r.TABLE_NAME AS R_TABLE_NAME, rc.COLUMN_NAME AS R_COLUMN_NAME FROM ALL_CONSTRAINTS c JOIN ALL_CONS_COLUMNS cc ON cc.OWNER = c.OWNER AND cc.CONSTRAINT_NAME = c.CONSTRAINT_NAME AND cc.TABLE_NAME = c.TABLE_NAME LEFT JOIN ALL_CONSTRAINTS r ON r.OWNER = c.R_OWNER AND r.CONSTRAINT_NAME = c.R_CONSTRAINT_NAME LEFT JOIN ALL_CONS_COLUMNS rc ON rc.OWNER = r.OWNER AND rc.CONSTRAINT_NAME = r.CONSTRAINT_NAME AND rc.POSITION = cc.POSITION WHERE c.OWNER = :owner AND c.TABLE_NAME IN (${names}) AND c.CONSTRAINT_TYPE IN ('P', 'U', 'R') ORDER BY c.TABLE_NAME, c.CONSTRAINT_NAME, cc.POSITION`,
          binds,
        )),
      );
      if (hasViews) {
        views.push(
          ...(await this.client.query(
            `SELECT VIEW_NAME, TEXT FROM ALL_VIEWS WHERE OWNER = :owner AND VIEW_NAME IN (${names})`,
            binds,
          )),
        );
      }
      if (hasMaterializedViews) {
        mviews.push(
          ...(await this.client.query(
            `SELECT MVIEW_NAME, QUERY FROM ALL_MVIEWS WHERE OWNER = :owner AND MVIEW_NAME IN (${names})`,
            binds,
          )),
        );
      }
    }

    const commentOf = new Map(comments.map((r) => [String(r.TABLE_NAME), text(r.COMMENTS)]));
    const viewOf = new Map([
      ...views.map((r): [string, string | undefined] => [String(r.VIEW_NAME), text(r.TEXT)]),
      ...mviews.map((r): [string, string | undefined] => [String(r.MVIEW_NAME), text(r.QUERY)]),
    ]);
    const columnsOf = groupBy(columns, (r) => String(r.TABLE_NAME));
    const constraintsOf = groupBy(constraints, (r) => String(r.TABLE_NAME));
    const out = new Map<string, TableDetail | Error>();
    for (const table of tables) {
      const rows = columnsOf.get(table.stored);
      if (!rows) continue;
      const keys = [...groupBy(constraintsOf.get(table.stored) ?? [], (r) => String(r.CONSTRAINT_NAME)).values()].map(
        (group): TableConstraintInfo => {
          const ordered = byOrdinal(group, 'POSITION');
          const type = String(group[0]!.CONSTRAINT_TYPE);
          const columnNames = ordered.map((r) => this.displayName(String(r.COLUMN_NAME)));
          if (type !== 'R') return { constraintType: type === 'P' ? 'PRIMARY_KEY' : 'UNIQUE', columns: columnNames };
          return {
            constraintType: 'FOREIGN_KEY',
            columns: columnNames,
            referredColumns: ordered.map((r) =>
              referredColumn(database, String(r.R_OWNER), String(r.R_TABLE_NAME), String(r.R_COLUMN_NAME)),
            ),
          };
        },
      );
      out.set(table.stored, {
        description: commentOf.get(table.stored),
        columns: rows.map((r) =>
          oracleColumn(
            asRow<OracleColumnRow>(r, oracleColumnRowSpec, 'ALL_TAB_COLUMNS'),
            this.displayName(String(r.COLUMN_NAME)),
          ),
        ),
        constraints: keys,
        viewDefinition: viewOf.get(table.stored),
      });
    }
    return out;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
