/**
 * The narrow query seam under the SQL Server connector: `runQuery(sql, params) -> rows`, where every
 * `@name` in the SQL is bound as an NVARCHAR parameter. Tests replace it with recorded result sets;
 * production wraps an mssql ConnectionPool.
 */
import type { config as MssqlConfig } from 'mssql';
import type { CatalogRow, QueryClient } from '../sql-common/lazy-client.js';

export type MssqlRow = CatalogRow;

export type MssqlClient = QueryClient<Readonly<Record<string, string>>, MssqlRow>;

export async function connectMssql(config: MssqlConfig): Promise<MssqlClient> {
  const mssql = (await import('mssql')).default;
  const pool = new mssql.ConnectionPool(config);
  await pool.connect();
  return {
    async runQuery(sql, params = {}) {
      const request = pool.request();
      for (const [name, value] of Object.entries(params)) request.input(name, mssql.NVarChar, value);
      const result = await request.query<MssqlRow>(sql);
      return result.recordset ? [...result.recordset] : [];
    },
    close: () => pool.close(),
  };
}
