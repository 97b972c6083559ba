/** Pure parts of the Redshift connector: type spellings, constraint definitions, hostPort and sslMode. */
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/sources/contract.js';
import { parseHostPort, sslOption } from '../../../src/sources/redshift/client.js';
import { parseConstraintColumns } from '../../../src/sources/redshift/constraint-def.js';
import { redshiftType } from '../../../src/sources/redshift/types.js';

describe('Redshift type spellings', () => {
  it.each([
    ['character varying', { dataType: 'VARCHAR', dataLength: 256 }],
    ['character', { dataType: 'CHAR', dataLength: 1 }],
    ['"char"', { dataType: 'CHAR', dataLength: 1 }],
    ['numeric', { dataType: 'NUMERIC' }],
    ['numeric(38,0)', { dataType: 'NUMERIC', precision: 38, scale: 0 }],
    ['binary varying(1024000)', { dataType: 'VARBINARY', dataLength: 1024000 }],
    ['integer[]', { dataType: 'ARRAY', arrayDataType: 'INT' }],
    ['array<struct<a:int>>', { dataType: 'ARRAY', arrayDataType: 'STRUCT' }],
    ['interval day to second', { dataType: 'INTERVAL' }],
    ['tsvector', { dataType: 'UNKNOWN' }],
    ['', { dataType: 'UNKNOWN' }],
  ])('%s -> %o', (spelling, expected) => {
    expect(redshiftType(spelling)).toEqual(expected);
  });
});

describe('pg_get_constraintdef parsing', () => {
  it('reads plain and quoted column lists, with doubled quotes, commas and parentheses inside names', () => {
    expect(parseConstraintColumns('PRIMARY KEY (id, "Order ""No""", "a,(b)")')).toEqual({
      columns: ['id', 'Order "No"', 'a,(b)'],
      referred: [],
    });
    expect(parseConstraintColumns('FOREIGN KEY (customer_id) REFERENCES "my schema"."t(1)"("Id")')).toEqual({
      columns: ['customer_id'],
      referred: ['Id'],
    });
  });

  it('returns undefined for a definition without a column list (e.g. a CHECK it was not asked for)', () => {
    expect(parseConstraintColumns('NOT NULL')).toBeUndefined();
  });
});

describe('Redshift hostPort and sslMode', () => {
  it('defaults the port to 5439 and accepts IPv6 brackets', () => {
    expect(parseHostPort('examplecluster.abc.us-west-1.redshift.amazonaws.com')).toEqual({
      host: 'examplecluster.abc.us-west-1.redshift.amazonaws.com',
      port: 5439,
    });
    expect(parseHostPort('[::1]:5440')).toEqual({ host: '::1', port: 5440 });
  });

  it('rejects a hostPort that is not host:port with a sentence naming the key', () => {
    expect(() => parseHostPort('cluster:99999')).toThrow(SourceError);
    expect(() => parseHostPort('cluster:99999')).toThrow(
      /serviceConnection.config.hostPort \(its port is not a number within 1-65535\) is not host:port/,
    );
  });

  it('maps sslMode like libpq: disable/allow/prefer plain, require encrypted, verify-* checked', () => {
    expect(sslOption(undefined)).toBe(false);
    expect(sslOption('prefer')).toBe(false);
    expect(sslOption('require')).toEqual({ rejectUnauthorized: false });
    expect(sslOption('verify-full')).toEqual({ rejectUnauthorized: true });
  });
});
