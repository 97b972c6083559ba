import { describe, expect, it } from 'vitest';
import {
  NOT_INGESTED_LISTED,
  decodeNotIngested,
  encodeNotIngested,
  type NotIngested,
} from '../../src/runtime/worker-contract.js';
import { worstNotIngested } from '../support/not-ingested.js';

describe("discover's not-ingested output", () => {
  it('round-trips names and rules exactly when they fit', () => {
    const report: NotIngested = {
      count: 7,
      listed: [
        { fqn: 'pg.db.sales."a::b"', problem: 'OpenMetadata names may not contain "::"' },
        { fqn: 'pg.db.sales.line\nbreak ünïcode 😀', problem: 'no line breaks' },
      ],
    };
    expect(decodeNotIngested(encodeNotIngested(report))).toEqual(report);
    expect(decodeNotIngested(encodeNotIngested({ count: 0, listed: [] }))).toEqual({ count: 0, listed: [] });
  });

  it('stays small and free of what Argo escapes again, whatever the names', () => {
    const encoded = encodeNotIngested(worstNotIngested());
    expect(encoded.length).toBeLessThan(2_200);
    // Only the JSON's own quotes: no backslash, no control, no non-ASCII, no {{ for Argo to trip on.
    expect(encoded).toMatch(/^[\x20-\x7e]+$/);
    expect(encoded).not.toMatch(/\\|\{\{|\}\}/);
    const decoded = decodeNotIngested(encoded)!;
    expect(decoded.count).toBe(123_456_789);
    expect(decoded.listed).toHaveLength(NOT_INGESTED_LISTED);
    expect(decoded.listed[0]!.fqn.startsWith('svc.db."sch\\ema".')).toBe(true);
    expect(decoded.listed[0]!.fqn.endsWith('…')).toBe(true);
  });

  it('turns a lone surrogate into U+FFFD instead of failing', () => {
    const decoded = decodeNotIngested(encodeNotIngested({ count: 1, listed: [{ fqn: 'a\uD800b', problem: 'p' }] }));
    expect(decoded?.listed[0]?.fqn).toBe('a\uFFFDb');
  });

  it('rejects what discover does not write', () => {
    for (const text of [
      '',
      'nope',
      '{"count":-1,"listed":[]}',
      '{"count":1}',
      '{"count":0,"listed":[{"fqn":"a","problem":"b"}]}',
      '{"count":1,"listed":[{"fqn":"%E0%A4%A","problem":"b"}]}',
    ])
      expect(decodeNotIngested(text), text).toBeUndefined();
  });
});
