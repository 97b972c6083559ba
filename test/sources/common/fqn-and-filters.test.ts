import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../../src/sources/common/filters.js';
import { buildFqn, quoteName, splitFqn } from '../../../src/model/fqn.js';

describe('fully qualified names', () => {
  it('quotes parts that contain a dot and splits them back', () => {
    expect(quoteName('orders')).toBe('orders');
    expect(buildFqn('svc', 'db', 'sales.eu', 'orders')).toBe('svc.db."sales.eu".orders');
    expect(splitFqn('svc.db."sales.eu".orders')).toEqual(['svc', 'db', 'sales.eu', 'orders']);
  });
});

describe('filter patterns (OpenMetadata semantics)', () => {
  it('keeps everything without a pattern', () => {
    expect(compileFilter(undefined)('anything')).toBe(true);
    expect(compileFilter({ includes: [], excludes: [] })('anything')).toBe(true);
  });

  it('anchors at the start of the name and ignores case', () => {
    const keep = compileFilter({ includes: ['sales'], excludes: [] });
    expect(keep('SALES_2024')).toBe(true);
    expect(keep('presales')).toBe(false);
  });

  it('drops names matching an exclude when there are no includes', () => {
    const keep = compileFilter({ includes: [], excludes: ['^pg_', 'information_schema$', 'tmp'] });
    expect(['public', 'pg_catalog', 'information_schema', 'tmp_load', 'stage_tmp'].filter(keep)).toEqual([
      'public',
      'stage_tmp',
    ]);
  });

  it('ignores excludes when includes is non-empty', () => {
    const keep = compileFilter({ includes: ['fact_', 'dim_'], excludes: ['fact_'] });
    expect(['fact_orders', 'dim_customer', 'raw_events'].filter(keep)).toEqual(['fact_orders', 'dim_customer']);
  });
});
