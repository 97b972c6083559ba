import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from './errors.js';
import { collectIgnoredKeys } from './om-object.js';
import { ingestionConfigSchema, type IngestionConfig } from './schema.js';
import { findLiteralSecrets } from './secrets.js';
import { collectVariables, substituteVariables } from './substitute.js';

export interface LoadedConfig {
  /** The YAML document as plain data, placeholders intact. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** The validated config, `${VAR}` placeholders intact. */
  readonly config: IngestionConfig;
  /** The file's text as written (what the ConfigMap holds). */
  readonly text: string;
  readonly file: string;
  /** Paths of OpenMetadata keys accepted but not acted on. */
  readonly ignoredKeys: readonly string[];
  /** Names of every `${VAR}` the config refers to. */
  readonly variables: readonly string[];
}

/** Reads, parses and validates a config file; throws ConfigError listing every problem found. */
export function loadConfigFile(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'file not found; pass the path of an ingestion config with -c'
        : code === 'EISDIR'
          ? 'is a directory; pass a YAML file'
          : `cannot read (${code ?? (error as Error).message})`;
    throw new ConfigError(file, [{ path: '', message: reason }]);
  }
  return parseConfigText(text, file);
}

/** Parses and validates config text; `file` names it in errors. */
export function parseConfigText(text: string, file = '<config>'): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const sourceLines = text.split('\n');
    throw new ConfigError(
      file,
      doc.errors
        .map((e) => {
          // prettyErrors is off (it would embed source excerpts), so positions come from the LineCounter.
          const line = lineCounter.linePos(e.pos[0]).line;
          // `{password: ${PW}}` is the classic trap: `{` of the placeholder opens a flow mapping.
          const hint = /[{[][^\n]*\$\{/.test(sourceLines[line - 1] ?? '')
            ? " (inside {...} or [...], quote values that hold ${VAR}: '${VAR}')"
            : '';
          return { path: '', line, message: `invalid YAML: ${e.message.split('\n')[0]}${hint}` };
        })
        // One YAML mistake often yields several parser errors on its line; the first says it best.
        .filter((issue, index, all) => all.findIndex((other) => other.line === issue.line) === index),
    );
  }
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, [
      { path: '', message: 'the config must be a YAML mapping with source, sink and workflowConfig' },
    ]);
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    // Point at the deepest node of the path that exists (an unknown key exists; a missing one does not).
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as YamlNode | undefined;
      const pair = n > 0 ? keyNode(doc.getIn(path.slice(0, n - 1) as unknown[], true), path[n - 1]) : undefined;
      const offset = pair?.range?.[0] ?? node?.range?.[0];
      if (offset !== undefined) return lineCounter.linePos(offset).line;
    }
    return undefined;
  };

  const issues: ConfigIssue[] = findLiteralSecrets(raw).map(({ path }) => ({
    path,
    line: lineOf(path.split('.')),
    message:
      'holds a literal secret; write it as ${VAR} (for example ${' +
      suggestVariable(path, raw) +
      '}) and supply the value from the environment or a Kubernetes Secret',
  }));
  const parsed = ingestionConfigSchema.safeParse(raw);
  if (!parsed.success) issues.push(...parsed.error.issues.map((issue) => toConfigIssue(issue, lineOf, raw)));
  if (issues.length > 0) throw new ConfigError(file, dedupe(issues));

  return {
    raw: raw as Record<string, unknown>,
    config: parsed.data!,
    text,
    file,
    ignoredKeys: collectIgnoredKeys(parsed.data),
    variables: collectVariables(raw),
  };
}

function keyNode(parent: unknown, key: PropertyKey | undefined): YamlNode | undefined {
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
    return (pair?.key as YamlNode | undefined) ?? undefined;
  }
  if (isSeq(parent) && typeof key === 'number') return parent.items[key] as YamlNode | undefined;
  return undefined;
}

function toConfigIssue(
  issue: z.core.$ZodIssue,
  lineOf: (p: readonly PropertyKey[]) => number | undefined,
  raw: unknown,
): ConfigIssue {
  const path = issue.path.map(String).join('.');
  return { path, line: lineOf(issue.path), message: describe(issue, valueAt(raw, issue.path)) };
}

/** The value at `path` in the parsed YAML, or `MISSING` (zod 4 does not report an issue's input). */
const MISSING = Symbol('missing');
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !(key in value)) return MISSING;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Zod's default messages start like this; custom ones (from our schemas) are kept as written. */
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Expected|Unrecognized|Required)/;

const TYPE_WORDS: Record<string, string> = { int: 'whole number', array: 'list', object: 'mapping', record: 'mapping' };

/** Zod's messages, reworded where they would not tell a YAML author what to do. */
function describe(issue: z.core.$ZodIssue, input: unknown = issue.input): string {
  if (!ZOD_DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  if (issue.code === 'invalid_type') {
    const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
    if (input === MISSING || input === undefined) return `is required (expected ${article(expected)} ${expected})`;
    return `must be ${article(expected)} ${expected}, not ${typeName(input)}`;
  }
  if (issue.code === 'invalid_key') {
    const inner = issue.issues[0];
    return inner && !ZOD_DEFAULT_MESSAGE.test(inner.message) ? inner.message : 'is not an allowed key';
  }
  if (issue.code === 'too_small' && issue.origin === 'array')
    return `must have at least ${String(issue.minimum)} item(s)`;
  if (issue.code === 'too_small' && issue.origin === 'number') return `must be at least ${String(issue.minimum)}`;
  if (issue.code === 'too_big' && issue.origin === 'number') return `must be at most ${String(issue.maximum)}`;
  if (issue.code === 'too_small' && issue.origin === 'string') return 'must not be empty';
  if (issue.code === 'invalid_value') {
    const allowed = issue.values.map((v) => JSON.stringify(v));
    // `, not <value>` is cut again by resolveConfig after substitution, where the value may be a secret.
    const given = typeof input === 'string' || typeof input === 'number' ? `, not ${JSON.stringify(input)}` : '';
    return `${allowed.length === 1 ? `must be ${allowed[0]!}` : `must be one of ${allowed.join(', ')}`}${given}`;
  }
  return issue.message;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** A variable name to suggest for a secret at `path`: `POSTGRES_PASSWORD`, `OM_JWT_TOKEN`, ... */
function suggestVariable(path: string, raw: unknown): string {
  const key = path.split('.').at(-1) ?? 'SECRET';
  const snake = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  const sourceType = (raw as { source?: { type?: unknown } }).source?.type;
  if (path.startsWith('source.') && typeof sourceType === 'string' && /^[a-z0-9]+$/i.test(sourceType)) {
    return `${sourceType.toUpperCase()}_${snake}`;
  }
  return path.startsWith('workflowConfig.openMetadataServerConfig') ? `OM_${snake}` : snake;
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The config with every `${VAR}` replaced from `env`, validated again (a URL that came from a variable
 * is checked now). Throws MissingVariablesError or ConfigError; neither message contains a value.
 */
export function resolveConfig(loaded: LoadedConfig, env: NodeJS.ProcessEnv = process.env): IngestionConfig {
  const substituted = substituteVariables(loaded.raw, env, loaded.file);
  const parsed = ingestionConfigSchema.safeParse(substituted);
  if (!parsed.success) {
    throw new ConfigError(
      loaded.file,
      parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        // Never echo the substituted value: it may be a secret.
        message: `${describe(issue, valueAt(substituted, issue.path)).replace(/, not .*$/, '')} (after substituting environment variables)`,
      })),
    );
  }
  return parsed.data;
}
