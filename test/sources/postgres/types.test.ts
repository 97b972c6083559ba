import { describe, expect, it } from 'vitest';
import { parseHostPort, sslOption } from '../../../src/sources/postgres/client.js';
import { mapColumnType } from '../../../src/sources/postgres/types.js';

const base = (typname: string) => ({ typname, typtype: 'b' });

describe('PostgreSQL type mapping details', () => {
  it('decodes numeric precision and scale from the typmod, dropping a negative scale', () => {
    // numeric(12,2): ((12 << 16) | 2) + 4
    expect(mapColumnType(base('numeric'), ((12 << 16) | 2) + 4)).toEqual({
      dataType: 'NUMERIC',
      precision: 12,
      scale: 2,
    });
    // numeric(5,-2) (PostgreSQL 15+): scale stored as 11-bit two's complement
    expect(mapColumnType(base('numeric'), ((5 << 16) | (0x800 - 2)) + 4)).toEqual({
      dataType: 'NUMERIC',
      precision: 5,
    });
    expect(mapColumnType(base('numeric'), -1)).toEqual({ dataType: 'NUMERIC' });
  });

  it('maps arrays to ARRAY with the element type, and unknown types to UNKNOWN', () => {
    expect(mapColumnType({ typname: '_int4', typtype: 'b', element: base('int4') }, -1)).toEqual({
      dataType: 'ARRAY',
      arrayDataType: 'INT',
    });
    expect(mapColumnType({ typname: 'int4range', typtype: 'r' }, -1)).toEqual({ dataType: 'UNKNOWN' });
    expect(mapColumnType(base('some_extension_type'), -1)).toEqual({ dataType: 'UNKNOWN' });
    expect(mapColumnType({ typname: 'mood', typtype: 'e' }, -1)).toEqual({ dataType: 'ENUM' });
  });
});

describe('PostgreSQL connection options', () => {
  it('parses host, host:port and [ipv6]:port', () => {
    expect(parseHostPort('db.example.com:6543')).toEqual({ host: 'db.example.com', port: 6543 });
    expect(parseHostPort('db')).toEqual({ host: 'db', port: 5432 });
    expect(parseHostPort('[::1]:5433')).toEqual({ host: '::1', port: 5433 });
    expect(() => parseHostPort('db:99999')).toThrow(/not host:port/);
  });

  it('maps sslMode to the pg ssl option', () => {
    expect(sslOption(undefined)).toBe(false);
    expect(sslOption('prefer')).toBe(false);
    expect(sslOption('require')).toEqual({ rejectUnauthorized: false });
    expect(sslOption('verify-full')).toEqual({ rejectUnauthorized: true });
  });
});
