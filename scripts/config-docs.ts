/**
 * The README's configuration reference, generated from the zod schema: `z.toJSONSchema` gives each key's
 * type, range and description (`.meta({ description })`); parsing an empty section gives the defaults
 * exactly as a run resolves them. A key without a default says so with `.meta({ defaultText })`, a type
 * JSON Schema cannot name (a cron, a quantity) with `.meta({ typeText })`.
 *
 * `npm run generate:config-docs` rewrites the table between the markers; a test fails when the README's
 * table differs from what this renders.
 */
import { z } from 'zod';
import { DNS1123_LABEL, distributedExecutionSchema } from '../src/config/distributed.js';

export const START_MARKER =
  '<!-- config-reference:start (generated from src/config/distributed.ts by `npm run generate:config-docs`; do not edit) -->';
export const END_MARKER = '<!-- config-reference:end -->';

/** The part of a JSON Schema node the table reads. */
interface JsonNode {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly properties?: Readonly<Record<string, JsonNode>>;
  readonly additionalProperties?: JsonNode | boolean;
  readonly items?: JsonNode;
  readonly description?: string;
  /** Our metadata: the type in words, where JSON Schema only says `string`. */
  readonly typeText?: string;
  /** Our metadata: the default in words, for a key without a default value. */
  readonly defaultText?: string;
}

export interface ReferenceRow {
  readonly key: string;
  readonly type: string;
  readonly default: string;
  readonly meaning: string;
}

/** Fields of our own that ride along in parsed objects (om-object.ts), not config keys. */
const isInternal = (key: string) => key.startsWith('~');

/** Rows of an object schema, one per leaf key; nested objects (`retryPolicy`) become dotted keys. */
export function referenceRows(schema: z.ZodType, defaults: unknown = schema.parse({})): ReferenceRow[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonNode;
  const rows: ReferenceRow[] = [];
  const walk = (node: JsonNode, prefix: string, values: unknown) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (isInternal(key)) continue;
      const path = `${prefix}${key}`;
      const value = isRecord(values) ? values[key] : undefined;
      if (child.properties !== undefined && child.additionalProperties === undefined) {
        walk(child, `${path}.`, value);
        continue;
      }
      if (child.description === undefined) throw new Error(`${path} has no description: add .meta({ description })`);
      rows.push({
        key: path,
        type: typeText(child),
        default:
          value !== undefined ? code(JSON.stringify(value).replace(/^"(.*)"$/, '$1')) : (child.defaultText ?? 'none'),
        meaning: child.description,
      });
    }
  };
  walk(json, '', defaults);
  return rows;
}

/** The markdown table, with the markers around it. */
export function renderReferenceTable(rows: readonly ReferenceRow[]): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const lines = [
    '| Key | Type | Default | Meaning |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${code(r.key)} | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.meaning)} |`),
  ];
  return `${START_MARKER}\n\n${lines.join('\n')}\n\n${END_MARKER}`;
}

/** The table of `workflowConfig.distributedExecution`, as the README holds it. */
export function distributedExecutionTable(): string {
  return renderReferenceTable(referenceRows(distributedExecutionSchema));
}

/** `readme` with the text between the markers replaced by `table`. */
export function withReferenceTable(readme: string, table: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) {
    throw new Error(`README.md has no ${START_MARKER} ... ${END_MARKER} section to rewrite`);
  }
  return readme.slice(0, start) + table + readme.slice(end + END_MARKER.length);
}

function typeText(node: JsonNode): string {
  if (node.typeText !== undefined) return node.typeText;
  if (node.enum !== undefined) return node.enum.map((v) => code(String(v))).join(' | ');
  switch (node.type) {
    case 'integer':
    case 'number':
      return withRange(node.type, node);
    case 'string':
      if (node.format === 'uri') return 'URL';
      if (node.pattern === DNS1123_LABEL.source) return `DNS-1123 name (max ${node.maxLength ?? 63})`;
      return 'string';
    case 'array':
      return `list of ${node.items ? shortType(node.items) : 'values'}`;
    case 'object':
      return typeof node.additionalProperties === 'object'
        ? `map of ${shortType(node.additionalProperties)}`
        : shortType(node);
    default:
      return node.type ?? 'any';
  }
}

/** A list's item or a map's value: an object by its keys, anything else by its type. */
function shortType(node: JsonNode): string {
  if (node.type === 'object' && node.properties !== undefined) {
    return `{${Object.keys(node.properties)
      .filter((k) => !isInternal(k))
      .join(', ')}}`;
  }
  return typeText(node);
}

function withRange(type: string, node: JsonNode): string {
  const min = node.minimum;
  const max = node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER ? node.maximum : undefined;
  const n = (value: number) => value.toLocaleString('en-US');
  if (min !== undefined && max !== undefined) return `${type}, ${n(min)}-${n(max)}`;
  if (min !== undefined && min > Number.MIN_SAFE_INTEGER) return `${type}, at least ${n(min)}`;
  if (max !== undefined) return `${type}, at most ${n(max)}`;
  return type;
}

function code(text: string): string {
  return `\`${text}\``;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
