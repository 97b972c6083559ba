/** The BigQuery estate the local server serves in the connector tests. */
import type { FakeProject } from '../../support/bigquery-server.js';

export const HOSTILE_TABLE = "sales 2024-é'; DROP TABLE x;--";

export function estate(): FakeProject[] {
  return [
    {
      id: 'acme-analytics',
      datasets: [
        {
          id: 'sales',
          description: 'Sales mart',
          tables: [
            {
              id: 'all_types',
              description: 'One column of every common BigQuery type',
              fields: [
                { name: 'c_string', type: 'STRING', mode: 'NULLABLE', maxLength: '64' },
                { name: 'c_bytes', type: 'BYTES' },
                { name: 'c_integer', type: 'INTEGER', mode: 'REQUIRED' },
                { name: 'c_int64', type: 'INT64' },
                { name: 'c_float', type: 'FLOAT' },
                { name: 'c_float64', type: 'FLOAT64' },
                { name: 'c_numeric', type: 'NUMERIC', precision: '10', scale: '2' },
                { name: 'c_bignumeric', type: 'BIGNUMERIC' },
                { name: 'c_boolean', type: 'BOOLEAN' },
                { name: 'c_bool', type: 'BOOL' },
                { name: 'c_timestamp', type: 'TIMESTAMP' },
                { name: 'c_date', type: 'DATE' },
                { name: 'c_time', type: 'TIME' },
                { name: 'c_datetime', type: 'DATETIME' },
                { name: 'c_geography', type: 'GEOGRAPHY' },
                { name: 'c_json', type: 'JSON' },
                { name: 'c_interval', type: 'INTERVAL' },
                { name: 'c_range', type: 'RANGE' },
                { name: 'c_tags', type: 'STRING', mode: 'REPEATED', description: 'Free-form tags' },
                {
                  name: 'c_address',
                  type: 'RECORD',
                  mode: 'NULLABLE',
                  description: 'Postal address',
                  fields: [
                    { name: 'street', type: 'STRING' },
                    { name: 'zip', type: 'STRING', mode: 'REQUIRED' },
                    {
                      name: 'geo',
                      type: 'STRUCT',
                      fields: [
                        { name: 'lat', type: 'FLOAT64' },
                        { name: 'lon', type: 'FLOAT64' },
                      ],
                    },
                  ],
                },
                {
                  name: 'c_items',
                  type: 'RECORD',
                  mode: 'REPEATED',
                  fields: [
                    { name: 'sku', type: 'STRING' },
                    { name: 'qty', type: 'INT64' },
                  ],
                },
              ],
            },
            {
              id: 'customers',
              fields: [
                { name: 'id', type: 'INT64', mode: 'REQUIRED', description: 'Customer number' },
                { name: 'email', type: 'STRING' },
              ],
              primaryKey: ['id'],
            },
            {
              id: 'orders',
              description: 'One row per order',
              fields: [
                { name: 'order_id', type: 'INT64', mode: 'REQUIRED' },
                { name: 'line_no', type: 'INT64', mode: 'REQUIRED' },
                { name: 'customer_id', type: 'INT64' },
              ],
              primaryKey: ['order_id', 'line_no'],
              foreignKeys: [
                {
                  name: 'fk_customer',
                  table: { projectId: 'acme-analytics', datasetId: 'sales', tableId: 'customers' },
                  columns: [{ referencing: 'customer_id', referenced: 'id' }],
                },
              ],
            },
            {
              id: 'order_summary',
              type: 'VIEW',
              fields: [{ name: 'customer_id', type: 'INT64' }],
              viewQuery: 'SELECT customer_id FROM sales.orders GROUP BY 1',
            },
            {
              id: 'daily_mv',
              type: 'MATERIALIZED_VIEW',
              fields: [{ name: 'day', type: 'DATE' }],
              viewQuery: 'SELECT 1',
            },
            { id: 'events_ext', type: 'EXTERNAL', fields: [{ name: 'payload', type: 'JSON' }] },
            { id: HOSTILE_TABLE, fields: [{ name: 'amount', type: 'NUMERIC' }] },
          ],
        },
        {
          id: 'staging',
          tables: [1, 2, 3, 4, 5].map((n) => ({ id: `raw_${n}`, fields: [{ name: 'line', type: 'STRING' }] })),
        },
      ],
    },
    {
      id: 'acme-raw',
      datasets: [{ id: 'landing', tables: [{ id: 'files', fields: [{ name: 'name', type: 'STRING' }] }] }],
    },
  ];
}
