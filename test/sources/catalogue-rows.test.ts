import { describe, expect, it } from 'vitest';
import { asRow } from '../../src/sources/sql-common/rows.js';
import { mysqlColumnRowSpec, type MysqlColumnRow } from '../../src/sources/mysql/types.js';

const row = {
  table_name: 't',
  column_name: 'id',
  ordinal_position: 1,
  is_nullable: 'NO',
  data_type: 'int',
  column_type: 'int(11)',
  character_maximum_length: null,
  numeric_precision: 10,
  numeric_scale: 0,
  column_comment: null,
};

describe('catalogue rows', () => {
  it('passes a row whose fields have the declared types', () => {
    expect(asRow<MysqlColumnRow>(row, mysqlColumnRowSpec, 'COLUMNS')).toBe(row);
  });

  it('names the fields of another shape', () => {
    expect(() =>
      asRow<MysqlColumnRow>({ ...row, data_type: 3, column_comment: undefined }, mysqlColumnRowSpec, 'COLUMNS'),
    ).toThrow('unexpected COLUMNS row from the catalogue (fields data_type, column_comment)');
  });
});
