/**
 * `npm run generate:config-docs`: rewrites the configuration reference table in README.md from the zod
 * schema (config-docs.ts). Run it after changing a key, its default or its description.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distributedExecutionTable, withReferenceTable } from './config-docs.js';

const README = join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md');

const before = readFileSync(README, 'utf8');
const after = withReferenceTable(before, distributedExecutionTable());
if (after === before) {
  console.log('README.md: the configuration reference is up to date');
} else {
  writeFileSync(README, after);
  console.log('README.md: configuration reference rewritten');
}
