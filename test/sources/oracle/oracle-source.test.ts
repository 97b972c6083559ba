import { describe, expect, it } from 'vitest';
import { createOracleSource as createOracleSourceFromSource } from '../../../src/sources/oracle/source.js';
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
import { recordedOracle } from './recorded-oracle.js';

const createOracleSource = fromConfig(createOracleSourceFromSource);

const PASSWORD = 'pw-MARKER-ora-88';
const connection = {
  type: 'Oracle',
  username: 'INGEST',
  password: '${ORACLE_PASSWORD}',
  hostPort: 'oracle.example.com:1521',
  oracleConnectionType: { oracleServiceName: 'ORCLPDB1' },
};
const HOSTILE = `o'reilly"; drop table x;--`;

const { source, failing } = recordedConnector({
  type: 'oracle',
  connection,
  env: { ORACLE_PASSWORD: PASSWORD },
  recorded: recordedOracle,
  create: createOracleSource,
});

describe('Oracle discovery', () => {
  it('lists tables and views of non-Oracle-maintained users in database "default", lower-casing upper-case names', async () => {
    const { source: s, client } = source();
    expect(await discoveredFqns(s)).toEqual([
      'oracle_test.default.MixedCase.Orders',
      `oracle_test.default.MixedCase.${HOSTILE}`,
      'oracle_test.default.hr.all_types',
      'oracle_test.default.hr.departments',
      'oracle_test.default.hr.dept_summary_mv',
      'oracle_test.default.hr.emp_details_view',
      'oracle_test.default.hr.employees',
      'oracle_test.default.hr.job_history',
      'oracle_test.default.sales.targets',
    ]);
    expect(client.log).toHaveLength(2);
    expect(client.log[1]!.binds).toEqual({ s0: 'MixedCase', s1: 'HR', s2: 'SALES' });
  });

  it('applies filter patterns to the names OpenMetadata shows and includeViews', async () => {
    const { source: s } = source(
      {},
      { includeViews: false, schemaFilterPattern: { includes: ['^hr$'] }, tableFilterPattern: { excludes: ['job'] } },
    );
    expect(await discoveredFqns(s)).toEqual([
      'oracle_test.default.hr.all_types',
      'oracle_test.default.hr.departments',
      'oracle_test.default.hr.employees',
    ]);
  });
});

describe('Oracle parents', () => {
  it('sends the service without the password, then the default database and the schemas', async () => {
    const { source: s } = source();
    const parents = await collect(s.parents());
    expect(parents.map((p) => `${p.kind} ${p.fqn}`)).toEqual([
      'databaseService oracle_test',
      'database oracle_test.default',
      'databaseSchema oracle_test.default.MixedCase',
      'databaseSchema oracle_test.default.hr',
      'databaseSchema oracle_test.default.sales',
    ]);
    expect(parents[0]!.body).toMatchObject({
      connection: { config: { oracleConnectionType: { oracleServiceName: 'ORCLPDB1' } } },
    });
    expect(JSON.stringify(parents)).not.toContain(PASSWORD);
    expect(schemaErrors(parents)).toEqual([]);
  });

  it('describes a TNS descriptor by the service it names, so a 1.0.4 server accepts the service', async () => {
    const tns =
      '(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=db)(PORT=2484))(CONNECT_DATA=(SERVICE_NAME=sales.example.com)))';
    const { source: s } = source({ oracleConnectionType: { oracleTNSConnection: tns } });
    const [service] = await collect(s.parents());
    expect(service!.body).toMatchObject({
      connection: { config: { oracleConnectionType: { oracleServiceName: 'sales.example.com' } } },
    });
    expect(schemaErrors([service!])).toEqual([]);
  });
});

describe('Oracle processing', () => {
  async function processHr(client = recordedOracle()) {
    const { source: s } = source({}, {}, client);
    const entities = (await collect(s.discover())).filter((e) => e.fqn.includes('.hr.'));
    client.log.length = 0;
    return { outcomes: await s.process(entities), client, entities };
  }

  it('maps every column of a table covering the common Oracle types to a valid OpenMetadata dataType', async () => {
    const { outcomes } = await processHr();
    const body = tableBody(outcomes, 'oracle_test.default.hr.all_types');
    expect(body.columns).toHaveLength(29);
    expectKnownDataTypes(body.columns);
    const byName = columnsByName(body);
    expect(byName.c_varchar2).toMatchObject({
      dataType: 'VARCHAR',
      dataLength: 100,
      dataTypeDisplay: 'VARCHAR2(100 CHAR)',
    });
    expect(byName.c_varchar2_byte).toMatchObject({ dataLength: 50, dataTypeDisplay: 'VARCHAR2(50)' });
    expect(byName.c_number_10_2).toMatchObject({
      dataType: 'NUMBER',
      precision: 10,
      scale: 2,
      dataTypeDisplay: 'NUMBER(10,2)',
    });
    expect(byName.c_timestamp_tz).toMatchObject({ dataType: 'TIMESTAMPZ' });
    expect(byName.c_timestamp).toMatchObject({ dataType: 'TIMESTAMP' });
    expect(byName.c_interval_ds).toMatchObject({ dataType: 'INTERVAL' });
    expect(byName.c_raw).toMatchObject({ dataType: 'VARBINARY', dataLength: 16 });
  });

  it('reads keys, comments and view types from ALL_CONSTRAINTS, ALL_TAB_COMMENTS and ALL_COL_COMMENTS', async () => {
    const { outcomes } = await processHr();
    const employees = tableBody(outcomes, 'oracle_test.default.hr.employees');
    expect(employees.description).toBe('employees table. Contains 107 rows.');
    expect(employees.columns.map((c) => [c.name, c.constraint, c.description])).toEqual([
      ['employee_id', 'PRIMARY_KEY', 'Primary key of employees table.'],
      ['email', 'UNIQUE', undefined],
      ['department_id', 'NULL', undefined],
    ]);
    expect(employees.tableConstraints).toEqual([
      {
        constraintType: 'FOREIGN_KEY',
        columns: ['department_id'],
        referredColumns: ['oracle_test.default.hr.departments.department_id'],
      },
    ]);
    expect(tableBody(outcomes, 'oracle_test.default.hr.job_history').tableConstraints).toContainEqual({
      constraintType: 'PRIMARY_KEY',
      columns: ['employee_id', 'start_date'],
    });
    expect(tableBody(outcomes, 'oracle_test.default.hr.emp_details_view').tableType).toBe('View');
    expect(tableBody(outcomes, 'oracle_test.default.hr.dept_summary_mv').tableType).toBe('MaterializedView');
  });

  it('produces schema-valid create requests with at most five dictionary queries per schema batch', async () => {
    const { outcomes, client } = await processHr();
    expectValidOutcomes(outcomes);
    // Columns, comments, constraints, ALL_VIEWS text, ALL_MVIEWS query: the batch has both kinds of view.
    expect(client.log).toHaveLength(5);
  });

  it('sends the SQL of views (ALL_VIEWS.TEXT) and materialized views (ALL_MVIEWS.QUERY)', async () => {
    const { outcomes } = await processHr();
    expect(tableBody(outcomes, 'oracle_test.default.hr.emp_details_view')).toMatchObject({
      tableType: 'View',
      schemaDefinition: expect.stringContaining('FROM employees e JOIN departments d'),
    });
    expect(tableBody(outcomes, 'oracle_test.default.hr.dept_summary_mv')).toMatchObject({
      tableType: 'MaterializedView',
      schemaDefinition: expect.stringContaining('GROUP BY department_id'),
    });
    expect(tableBody(outcomes, 'oracle_test.default.hr.departments')).not.toHaveProperty('schemaDefinition');
  });

  it('binds owner and table names (stored spelling), so hostile and mixed-case names are data', async () => {
    const client = recordedOracle();
    const { source: s } = source({}, {}, client);
    const entities = (await collect(s.discover())).filter((e) => e.fqn.includes('MixedCase'));
    client.log.length = 0;
    const outcomes = await s.process(entities);
    expect(tableBody(outcomes, `oracle_test.default.MixedCase.${HOSTILE}`).columns[0]!.name).toBe('Note');
    expect(tableBody(outcomes, 'oracle_test.default.MixedCase.Orders').columns[0]!.name).toBe('id');
    for (const { sql, binds } of client.log) {
      expect(sql).not.toContain('reilly');
      expect(binds).toEqual({ owner: 'MixedCase', t0: 'Orders', t1: HOSTILE });
    }
  });

  it('reports a table dropped after discovery as a failed outcome and keeps the others', async () => {
    const client = recordedOracle();
    const { source: s } = source({}, {}, client);
    const entities = (await collect(s.discover())).filter((e) => e.fqn.includes('.hr.'));
    client.data['tab-columns'] = client.data['tab-columns']!.filter((r) => r.TABLE_NAME !== 'DEPARTMENTS');
    const outcomes = await s.process(entities);
    expect(outcomes.filter((o) => !o.ok).map((o) => o.fqn)).toEqual(['oracle_test.default.hr.departments']);
  });
});

describe('Oracle errors', () => {
  it('turns ORA-01017 into one auth sentence naming the service and not the password', async () => {
    const error = Object.assign(new Error('ORA-01017: invalid credential or not authorized; logon denied'), {
      code: 'ORA-01017',
      errorNum: 1017,
    });
    const failure = await connectionFailure(failing(error).testConnection(), [PASSWORD]);
    expect(failure.reason).toBe('auth');
    expect(failure.message).toMatch(
      /^Oracle service ORCLPDB1 at oracle\.example\.com:1521 refused the login of user "INGEST"/,
    );
  });

  it('tells an unknown service name (ORA-12514) from an unknown SID (ORA-12505)', async () => {
    const fail = (code: string, overrides: Record<string, unknown> = {}) =>
      failing(
        Object.assign(new Error(`${code}: listener does not currently know of the requested service`), { code }),
        overrides,
      ).testConnection();
    await expect(fail('ORA-12514')).rejects.toThrow(/check oracleConnectionType\.oracleServiceName/);
    await expect(fail('ORA-12505', { oracleConnectionType: { databaseSchema: 'ORCL' } })).rejects.toThrow(
      /check oracleConnectionType\.databaseSchema/,
    );
  });
});
