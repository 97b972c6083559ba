import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  END_MARKER,
  START_MARKER,
  distributedExecutionTable,
  referenceRows,
  renderReferenceTable,
  withReferenceTable,
} from '../../scripts/config-docs.js';

const README = join(import.meta.dirname, '..', '..', 'README.md');

describe('the README configuration reference', () => {
  it('is what the schema renders (run `npm run generate:config-docs` after changing a key)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(readme.split(START_MARKER)).toHaveLength(2);
    expect(readme.split(END_MARKER)).toHaveLength(2);
    expect(withReferenceTable(readme, distributedExecutionTable())).toBe(readme);
  });

  it('exists once: no hand-written row for a key outside the generated table', () => {
    const readme = readFileSync(README, 'utf8');
    const outside = readme.slice(0, readme.indexOf(START_MARKER)) + readme.slice(readme.indexOf(END_MARKER));
    expect(outside).not.toMatch(/^\| `(parallelism|retryPolicy\.maxAttempts|maxDeletedFraction)` \|/m);
  });
});

describe('referenceRows', () => {
  const schema = z.object({
    mode: z.enum(['a', 'b']).default('a').meta({ description: 'Which one.' }),
    count: z.number().int().min(1).max(10_000).default(5).meta({ description: 'How many.' }),
    owner: z.string().optional().meta({ description: 'Who.', defaultText: 'the caller' }),
    nested: z
      .object({
        wait: z.number().min(0).default(1.5).meta({ description: 'Seconds.' }),
        tags: z.record(z.string(), z.string()).default({}).meta({ description: 'Tags | labels.' }),
      })
      .default({ wait: 1.5, tags: {} }),
    url: z.url().optional().meta({ description: 'Where.' }),
  });

  it('gives type, range, resolved default and description per leaf key, nested keys dotted', () => {
    expect(referenceRows(schema)).toEqual([
      { key: 'mode', type: '`a` | `b`', default: '`a`', meaning: 'Which one.' },
      { key: 'count', type: 'integer, 1-10,000', default: '`5`', meaning: 'How many.' },
      { key: 'owner', type: 'string', default: 'the caller', meaning: 'Who.' },
      { key: 'nested.wait', type: 'number, at least 0', default: '`1.5`', meaning: 'Seconds.' },
      { key: 'nested.tags', type: 'map of string', default: '`{}`', meaning: 'Tags | labels.' },
      { key: 'url', type: 'URL', default: 'none', meaning: 'Where.' },
    ]);
  });

  it('escapes pipes in cells and keeps the markers around the table', () => {
    const table = renderReferenceTable(referenceRows(schema));
    expect(table.startsWith(`${START_MARKER}\n\n| Key | Type | Default | Meaning |`)).toBe(true);
    expect(table).toContain('| `mode` | `a` \\| `b` | `a` | Which one. |');
    expect(table).toContain('| `nested.tags` | map of string | `{}` | Tags \\| labels. |');
    expect(table.endsWith(END_MARKER)).toBe(true);
  });

  it('refuses a key without a description', () => {
    expect(() => referenceRows(z.object({ bare: z.boolean().default(false) }))).toThrow(
      'bare has no description: add .meta({ description })',
    );
  });

  it('rewrites only what is between the markers, and refuses a README without them', () => {
    const readme = `# Title\n\n${START_MARKER}\nstale\n${END_MARKER}\n\nAfter.\n`;
    expect(withReferenceTable(readme, `${START_MARKER}\nfresh\n${END_MARKER}`)).toBe(
      `# Title\n\n${START_MARKER}\nfresh\n${END_MARKER}\n\nAfter.\n`,
    );
    expect(() => withReferenceTable('# Title\n', 'x')).toThrow('README.md has no');
  });
});
