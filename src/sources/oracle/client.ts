/**
 * The narrow query seam under the Oracle connector: `runQuery(sql, binds) -> rows` with named binds
 * (`:owner`, `:t0`) and rows as objects keyed by upper-case column names. Tests replace it with
 * recorded result sets; production uses one node-oracledb thin-mode connection.
 */
import type { ConnectionAttributes } from 'oracledb';
import type { CatalogRow, QueryClient } from '../sql-common/lazy-client.js';

export type OracleRow = CatalogRow;

export type OracleClient = QueryClient<Readonly<Record<string, string>>, OracleRow>;

export async function connectOracle(attributes: ConnectionAttributes): Promise<OracleClient> {
  const oracledb = (await import('oracledb')).default;
  const connection = await oracledb.getConnection(attributes);
  let closed = false;
  return {
    async runQuery(sql, binds = {}) {
      const result = await connection.execute<OracleRow>(sql, { ...binds }, { outFormat: oracledb.OUT_FORMAT_OBJECT });
      return result.rows ?? [];
    },
    async close() {
      if (closed) return;
      closed = true;
      await connection.close();
    },
  };
}
