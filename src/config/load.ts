import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { LineCounter, isMap, isSeq, parseDocument, visit, type Node as YamlNode } from 'yaml';
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

/**
 * The most a config file may hold. A config is a page of YAML; on Argo it travels in a ConfigMap,
 * which Kubernetes limits to 1 MiB (see CONFIGMAP_MAX_BYTES); this bound only keeps a wrong path
 * (a log, a disk image) from being read whole.
 */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * Kubernetes refuses a ConfigMap whose data exceed 1 MiB (k8s.io/kubernetes pkg/apis/core/validation
 * ValidateConfigMap: totalSize > core.MaxSecretSize, 1024 * 1024 bytes).
 */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;

/** Reads, parses and validates a config file; throws ConfigError listing every problem found. */
export function loadConfigFile(file: string): LoadedConfig {
  return parseConfigText(readConfigText(file), file);
}

/**
 * The file's text. Only a regular file is read: a FIFO would block forever and /dev/zero never ends
 * (opened non-blocking, then checked with fstat on the same descriptor). Its bytes must be UTF-8.
 */
export function readConfigText(file: string): string {
  const fail = (message: string, line?: number): never => {
    throw new ConfigError(file, [{ path: '', ...(line !== undefined ? { line } : {}), message }]);
  };
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(
      code === 'ENOENT'
        ? 'file not found; pass the path of an ingestion config with -c'
        : code === 'EISDIR'
          ? 'is a directory; pass a YAML file'
          : `cannot read (${code ?? (error as Error).message})`,
    );
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return fail('is a directory; pass a YAML file');
    if (!stat.isFile()) {
      const kind = stat.isFIFO()
        ? 'a FIFO'
        : stat.isSocket()
          ? 'a socket'
          : stat.isCharacterDevice() || stat.isBlockDevice()
            ? 'a device'
            : 'not a file';
      return fail(`is ${kind}, not a regular file; pass a YAML file (write a generated config to a file first)`);
    }
    if (stat.size > MAX_CONFIG_BYTES) {
      return fail(`is ${stat.size} bytes; a config is at most ${MAX_CONFIG_BYTES} bytes (is this the right file?)`);
    }
    const bytes = Buffer.alloc(stat.size);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return decodeUtf8(bytes.subarray(0, read), fail);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    return fail(`cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  } finally {
    closeSync(fd);
  }
}

/** UTF-8 or a ConfigError at the first bad byte (a Latin-1 "é" must not silently become U+FFFD). */
function decodeUtf8(bytes: Buffer, fail: (message: string, line?: number) => never): string {
  try {
    // ignoreBOM keeps a byte-order mark, as readFileSync did: the ConfigMap holds the text as written.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    let line = 1;
    let column = 1;
    for (let i = 0; i < offset; i++) {
      if (bytes[i] === 0x0a) {
        line++;
        column = 1;
      } else if ((bytes[i]! & 0xc0) !== 0x80) column++;
    }
    const hex = bytes[offset]!.toString(16).toUpperCase().padStart(2, '0');
    return fail(
      `is not valid UTF-8 (byte 0x${hex} at column ${column}); save the file as UTF-8 (e.g. "iconv -f LATIN1 -t UTF-8")`,
      line,
    );
  }
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need =
      b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlong 3/4-byte forms, surrogates and code points past U+10FFFF.
    const c1 = bytes[i + 1] ?? 0;
    if (
      (b === 0xe0 && c1 < 0xa0) ||
      (b === 0xed && c1 >= 0xa0) ||
      (b === 0xf0 && c1 < 0x90) ||
      (b === 0xf4 && c1 >= 0x90)
    )
      return i;
    i += need + 1;
  }
  return bytes.length;
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
  let raw: unknown;
  try {
    // yaml's default maxAliasCount (100) stops aliases of aliases that expand without bound.
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let line: number | undefined;
    visit(doc, {
      Alias(_, node) {
        line = node.range ? lineCounter.linePos(node.range[0]).line : undefined;
        return visit.BREAK;
      },
    });
    throw new ConfigError(file, [
      {
        path: '',
        ...(line !== undefined ? { line } : {}),
        message:
          'YAML aliases (*name) expand to too much data (aliases of aliases); write the values out, or use fewer aliases',
      },
    ]);
  }
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
  const dist = parsed.success ? parsed.data.workflowConfig.distributedExecution : undefined;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (dist?.enabled && dist.orchestrator === 'argo' && bytes > CONFIGMAP_MAX_BYTES) {
    issues.push({
      path: '',
      message: `is ${bytes} bytes; on Argo the config travels in a ConfigMap, which Kubernetes limits to ${CONFIGMAP_MAX_BYTES} bytes (1 MiB): make it smaller`,
    });
  }
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
