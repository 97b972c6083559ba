import { describe, expect, it } from 'vitest';
import { createMssqlSource as createMssqlSourceFromSource } from '../../../src/sources/mssql/source.js';
import { fromConfig } from '../../support/source-from-config.js';
import {
  collect,
  columnsByName,
  connectionFailure,
  discoveredFqns,
  expectKnownDataTypes,
  expectValidOutcomes,
  recordedConnector,
  schemaErrors,
  tableBody,
} from '../../support/sql-source-helpers.js';
import { recordedMssql } from './recorded-mssql.js';

const createMssqlSource = fromConfig(createMssqlSourceFromSource);

const PASSWORD = 'pw-MARKER-mssql-41';
const connection = {
  type: 'Mssql',
  username: 'ingest',
  password: '${MSSQL_PASSWORD}',
  hostPort: 'sql.example.com:1433',
  database: 'Sales',
};

const { source, failing } = recordedConnector({
  type: 'mssql',
  connection,
  env: { MSSQL_PASSWORD: PASSWORD },
  recorded: recordedMssql,
  create: createMssqlSource,
});

describe('SQL Server discovery', () => {
  it('lists the tables and views of the configured database by schema, in a stable order', async () => {
    const { source: s, client } = source();
    expect(await discoveredFqns(s)).toEqual([
      `mssql_test.Sales."Ops.Team".it's; DROP TABLE x;--`,
      'mssql_test.Sales.dbo.AllTypes',
      'mssql_test.Sales.dbo.CustomerOrders',
      'mssql_test.Sales.dbo.Customers',
      'mssql_test.Sales.dbo.OrderLines',
      'mssql_test.Sales.dbo.Orders',
      'mssql_test.Sales.hr.Employees',
    ]);
    expect(client.log).toHaveLength(2);
  });

  it('with ingestAllDatabases lists user databases from sys.databases and quotes hostile names as [..]', async () => {
    const { source: s, client } = source(
      { ingestAllDatabases: true },
      { databaseFilterPattern: { includes: ['arch'] } },
    );
    expect(await discoveredFqns(s)).toEqual(['mssql_test.Archive]; DROP DATABASE x;--.dbo.OldOrders']);
    expect(client.log[0]!.sql).toMatch(/FROM sys\.databases WHERE database_id > 4/);
    expect(client.log[1]!.sql).toContain('FROM [Archive]]; DROP DATABASE x;--].sys.schemas');
  });

  it('applies schema and table filters and includeViews', async () => {
    const { source: s } = source(
      {},
      { includeViews: false, schemaFilterPattern: { includes: ['dbo'] }, tableFilterPattern: { excludes: ['order'] } },
    );
    expect(await discoveredFqns(s)).toEqual(['mssql_test.Sales.dbo.AllTypes', 'mssql_test.Sales.dbo.Customers']);
  });
});

describe('SQL Server parents', () => {
  it('sends the service without the password, then the database and schemas with MS_Description', async () => {
    const { source: s } = source(
      { connectionOptions: { TrustServerCertificate: 'yes' } },
      { schemaFilterPattern: { excludes: ['^hr$'] } },
    );
    const parents = await collect(s.parents());
    expect(parents.map((p) => `${p.kind} ${p.fqn}`)).toEqual([
      'databaseService mssql_test',
      'database mssql_test.Sales',
      'databaseSchema mssql_test.Sales."Ops.Team"',
      'databaseSchema mssql_test.Sales.dbo',
    ]);
    expect(parents[3]!.body).toMatchObject({ description: 'Default schema' });
    expect(JSON.stringify(parents)).not.toContain(PASSWORD);
    expect(schemaErrors(parents)).toEqual([]);
  });
});

describe('SQL Server processing', () => {
  async function processDbo(client = recordedMssql()) {
    const { source: s } = source({}, {}, client);
    const entities = (await collect(s.discover())).filter((e) => e.fqn.includes('.dbo.'));
    client.log.length = 0;
    return { outcomes: await s.process(entities), client, entities, s };
  }

  it('maps every column of a table covering the common SQL Server types to a valid OpenMetadata dataType', async () => {
    const { outcomes } = await processDbo();
    const body = tableBody(outcomes, 'mssql_test.Sales.dbo.AllTypes');
    expect(body.columns).toHaveLength(37);
    expectKnownDataTypes(body.columns);
    const byName = columnsByName(body);
    expect(byName.c_nvarchar).toMatchObject({ dataType: 'VARCHAR', dataLength: 100, dataTypeDisplay: 'nvarchar(100)' });
    expect(byName.c_varchar_max).toMatchObject({ dataType: 'VARCHAR', dataTypeDisplay: 'varchar(max)' });
    expect(byName.c_decimal).toMatchObject({
      dataType: 'DECIMAL',
      precision: 18,
      scale: 4,
      dataTypeDisplay: 'decimal(18,4)',
    });
    expect(byName.c_datetimeoffset).toMatchObject({ dataType: 'TIMESTAMPZ' });
    expect(byName.c_uniqueidentifier).toMatchObject({ dataType: 'UUID' });
    expect(byName.c_phone).toMatchObject({
      dataType: 'VARCHAR',
      dataLength: 20,
      dataTypeDisplay: 'phone',
      description: 'Alias type Phone over nvarchar(20)',
    });
  });

  it('reads primary, unique and foreign keys and descriptions', async () => {
    const { outcomes } = await processDbo();
    const customers = tableBody(outcomes, 'mssql_test.Sales.dbo.Customers');
    expect(customers.description).toBe('Customers of the web shop');
    expect(customers.columns.map((c) => [c.name, c.constraint])).toEqual([
      ['Id', 'PRIMARY_KEY'],
      ['Email', 'UNIQUE'],
      ['Country', 'NULL'],
    ]);
    expect(tableBody(outcomes, 'mssql_test.Sales.dbo.OrderLines').tableConstraints).toEqual([
      { constraintType: 'PRIMARY_KEY', columns: ['OrderId', 'LineNo'] },
      { constraintType: 'FOREIGN_KEY', columns: ['OrderId'], referredColumns: ['mssql_test.Sales.dbo.Orders.Id'] },
    ]);
    expect(tableBody(outcomes, 'mssql_test.Sales.dbo.CustomerOrders').tableType).toBe('View');
    // sys.sql_modules.definition, sent as schemaDefinition (viewDefinition on 1.0.x).
    expect(tableBody(outcomes, 'mssql_test.Sales.dbo.CustomerOrders').schemaDefinition).toMatch(/CREATE VIEW/i);
    expect(tableBody(outcomes, 'mssql_test.Sales.dbo.OrderLines')).not.toHaveProperty('schemaDefinition');
  });

  it('produces create requests valid against OpenMetadata 1.0.4 with four queries per schema batch', async () => {
    const { outcomes, client } = await processDbo();
    expectValidOutcomes(outcomes);
    expect(client.log).toHaveLength(4);
  });

  it('binds schema and table names as parameters, so hostile names are data', async () => {
    const client = recordedMssql();
    const { source: s } = source({}, {}, client);
    const entities = (await collect(s.discover())).filter((e) => e.fqn.includes('Ops.Team'));
    client.log.length = 0;
    const outcomes = await s.process(entities);
    expect(outcomes[0]).toMatchObject({ ok: true });
    for (const { sql, params } of client.log) {
      expect(sql).not.toContain("it's");
      expect(params).toEqual({ schema: 'Ops.Team', t0: "it's; DROP TABLE x;--" });
    }
  });

  it('reports a table dropped after discovery as a failed outcome and keeps the others', async () => {
    const client = recordedMssql();
    const { source: s } = source({}, {}, client);
    const entities = (await collect(s.discover())).filter((e) => e.fqn.includes('.dbo.'));
    client.data.columns = client.data.columns!.filter((r) => r.table_name !== 'Orders');
    const outcomes = await s.process(entities);
    expect(outcomes.filter((o) => !o.ok).map((o) => o.fqn)).toEqual(['mssql_test.Sales.dbo.Orders']);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(entities.length - 1);
  });
});

describe('SQL Server errors', () => {
  it('turns a login failure (mssql ConnectionError ELOGIN) into one auth sentence without the password', async () => {
    const mssql = (await import('mssql')).default;
    const error = new mssql.ConnectionError(`Login failed for user 'ingest'. ${PASSWORD}`, 'ELOGIN');
    const failure = await connectionFailure(failing(error).testConnection(), [PASSWORD]);
    expect(failure.reason).toBe('auth');
    expect(failure.message).toMatch(
      /^SQL Server sql\.example\.com:1433 refused the login of user "ingest" .*check username and password/,
    );
  });

  it('suggests trustServerCertificate when the server certificate cannot be verified', async () => {
    const mssql = (await import('mssql')).default;
    const error = new mssql.ConnectionError(
      'Failed to connect to sql.example.com:1433 - self-signed certificate',
      'ESOCKET',
    );
    await expect(failing(error).testConnection()).rejects.toThrow(/trustServerCertificate: "yes"/);
  });
});
