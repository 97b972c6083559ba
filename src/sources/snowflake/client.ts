/**
 * The narrow query seam under the Snowflake connector: `runQuery(sql, binds) -> rows`. The engine only
 * ever talks to this, so tests replace it with recorded result sets; production wraps snowflake-sdk.
 */
import type { Bind, Connection, ConnectionOptions, SnowflakeError } from 'snowflake-sdk';
import type { CatalogRow, QueryClient } from '../sql-common/lazy-client.js';

export type SnowflakeRow = CatalogRow;

/** Statements with `?` binds; rows are objects keyed by column name as Snowflake returns them. */
export type SnowflakeClient = QueryClient<readonly Bind[], SnowflakeRow>;

/** Connects with snowflake-sdk. Errors are the driver's; the engine turns them into SourceErrors. */
export async function connectSnowflake(options: ConnectionOptions): Promise<SnowflakeClient> {
  const snowflake = (await import('snowflake-sdk')).default;
  // The driver logs to stdout by default (even failed logins); our logger is the only voice.
  snowflake.configure({ logLevel: 'OFF' });
  const connection: Connection = snowflake.createConnection(options);
  await new Promise<void>((resolve, reject) => {
    connection.connect((error) => (error ? reject(error) : resolve()));
  });
  let closed = false;
  return {
    runQuery: (sql, binds = []) =>
      new Promise((resolve, reject) => {
        connection.execute({
          sqlText: sql,
          binds: [...binds],
          complete: (error: SnowflakeError | undefined, _statement, rows) =>
            error ? reject(error) : resolve((rows ?? []) as SnowflakeRow[]),
        });
      }),
    close: () =>
      closed
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            closed = true;
            connection.destroy(() => resolve());
          }),
  };
}
