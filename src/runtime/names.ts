/**
 * Entity names: which ones OpenMetadata cannot take, and how names are printed.
 *
 * The rule is OpenMetadata's `entityName` (schemas/openmetadata-1.13/type/basic.json,
 * `definitions.entityName`, the `name` of createTable / createDatabaseSchema / createDashboard ...):
 * `minLength: 1`, `maxLength: 256`, `pattern: "^((?!::).)*$"`. The server validates it with Java regexes,
 * where `.` matches anything but a line terminator (\n, \r, \u0085, \u2028, \u2029): so a name may not
 * contain `::` nor a line break. Such an entity can never be created; it is reported once and is not
 * counted as a failure that blocks mark-deleted (its absence from OpenMetadata says nothing about
 * deletions).
 */

import { buildFqn, splitFqn } from '../model/fqn.js';

/** Java's line terminators: what `.` does not match in the server's pattern. */
const LINE_TERMINATOR = /[\n\r\u0085\u2028\u2029]/;
export const ENTITY_NAME_MAX_LENGTH = 256;

/** The entityName rule `name` breaks, in words, or undefined when OpenMetadata can take it. */
export function entityNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'OpenMetadata names may not be empty (entityName minLength 1)';
  if (name.includes('::')) return 'OpenMetadata names may not contain "::" (entityName pattern ^((?!::).)*$)';
  if (LINE_TERMINATOR.test(name)) {
    return 'OpenMetadata names may not contain a line break (entityName pattern ^((?!::).)*$)';
  }
  if (name.length > ENTITY_NAME_MAX_LENGTH) {
    return `OpenMetadata names may have at most ${ENTITY_NAME_MAX_LENGTH} characters (entityName maxLength), this one has ${name.length}`;
  }
  return undefined;
}

/**
 * A name as logs and summaries print it: control characters, line terminators and backslashes escaped
 * (`\n`, `\u0007`, `\\`), so that a name can never start a line of its own or hide in the terminal.
 */
export function escapeName(name: string): string {
  return name.replace(/[\\\x00-\x1f\x7f\u0085\u2028\u2029]/g, (ch) => {
    if (ch === '\\') return '\\\\';
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** An entity whose own name (the last part of its FQN) OpenMetadata cannot take, with the rule. */
export interface InvalidName {
  readonly fqn: string;
  readonly problem: string;
}

/**
 * The rule the entity's name, or the name of a container above it (its schema, its database), breaks;
 * undefined when OpenMetadata can take every part. An entity under a schema OpenMetadata cannot create
 * cannot be created either.
 */
export function invalidNameOf(fqn: string): InvalidName | undefined {
  const parts = splitFqn(fqn);
  for (let i = parts.length - 1; i >= 0; i--) {
    const problem = entityNameProblem(parts[i]!);
    if (problem === undefined) continue;
    const where = i === parts.length - 1 ? '' : ` (in the name of ${escapeName(buildFqn(...parts.slice(0, i + 1)))})`;
    return { fqn, problem: problem + where };
  }
  return undefined;
}
