import { describe, expect, it } from 'vitest';
import { entityNameProblem, escapeName, invalidNameOf } from '../../src/runtime/names.js';

describe('entity names (OpenMetadata 1.13 type/basic.json entityName)', () => {
  it('refuses "::", line terminators, empty and over-long names; takes the rest', () => {
    expect(entityNameProblem('a::b')).toMatch(/may not contain "::"/);
    for (const ch of ['\n', '\r', '\u0085', '\u2028', '\u2029'])
      expect(entityNameProblem(`a${ch}b`)).toMatch(/line break/);
    expect(entityNameProblem('')).toMatch(/may not be empty/);
    expect(entityNameProblem('x'.repeat(257))).toMatch(/at most 256 characters/);
    for (const ok of ['orders', 'a:b', 'odd>name', 'tab\there', 'x'.repeat(256), 'ünïcode']) {
      expect(entityNameProblem(ok), ok).toBeUndefined();
    }
  });

  it('checks the entity name, not its quoted FQN', () => {
    expect(invalidNameOf('svc.db.s."a.b"')).toBeUndefined();
    expect(invalidNameOf('svc.db.s.a::b')).toEqual({ fqn: 'svc.db.s.a::b', problem: expect.stringContaining('::') });
  });

  it('escapes control characters, line terminators and backslashes', () => {
    expect(escapeName('two\nlines')).toBe('two\\nlines');
    expect(escapeName('a\r\tb\u0007\u2028c\\d')).toBe('a\\r\\tb\\u0007\\u2028c\\\\d');
    expect(escapeName('plain.name')).toBe('plain.name');
  });
});

describe('containers OpenMetadata cannot name', () => {
  it('make the entities under them invalid too, naming the container', () => {
    expect(invalidNameOf('svc.db.bad::schema.t')).toEqual({
      fqn: 'svc.db.bad::schema.t',
      problem:
        'OpenMetadata names may not contain "::" (entityName pattern ^((?!::).)*$) (in the name of svc.db.bad::schema)',
    });
  });
});
