import { z } from 'zod';

/** Symbol under which a parsed object keeps the keys it accepted but does not act on. */
export const IGNORED_KEYS = Symbol.for('argo-ingest.ignoredKeys');

const DROPPED_FIELD = '~ignoredKeys';

export interface OmObjectOptions {
  /**
   * OpenMetadata keys that are valid in the upstream schema but that argo-ingest does not act on.
   * They are accepted (so existing configs keep working) and `validate` lists them as ignored.
   * @default []
   */
  readonly ignored?: readonly string[];
  /**
   * Keys refused with their own message instead of "unknown key": OpenMetadata forms argo-ingest does
   * not support, each with one sentence naming the supported form.
   * @default {}
   */
  readonly refused?: Readonly<Record<string, string>>;
}

/**
 * A strict object for an OpenMetadata config section: unknown keys are errors with a did-you-mean,
 * keys of `ignored` are accepted, dropped from the result and remembered for `validate`.
 */
export function omObject<S extends z.ZodRawShape>(
  shape: S,
  options?: OmObjectOptions,
): z.ZodType<z.output<z.ZodObject<S>>, z.input<z.ZodObject<S>>>;
// The overload states what the implementation guarantees and zod cannot infer through the preprocess
// step: the output is z.object(shape)'s, without the carrier field.
export function omObject(shape: z.ZodRawShape, options: OmObjectOptions = {}): z.ZodType {
  const ignored = options.ignored ?? [];
  const refused = options.refused ?? {};
  const known = [...Object.keys(shape), ...ignored];
  // The dropped keys ride through zod under DROPPED_FIELD and end up under the IGNORED_KEYS symbol,
  // because z.object builds a new output object (a symbol set on its input would be lost).
  const carrier = z.object({ ...shape, [DROPPED_FIELD]: z.array(z.string()).optional() }).transform((out) => {
    const { [DROPPED_FIELD]: dropped, ...rest } = out as Record<string, unknown>;
    if (Array.isArray(dropped)) Object.defineProperty(rest, IGNORED_KEYS, { value: dropped, enumerable: false });
    return rest;
  });
  return z.preprocess((value, ctx) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const kept: Record<string, unknown> = {};
    const dropped: string[] = [];
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (ignored.includes(key)) {
        dropped.push(key);
      } else if (Object.hasOwn(refused, key)) {
        ctx.addIssue({ code: 'custom', path: [key], message: refused[key]!, input: value });
      } else if (!Object.hasOwn(shape, key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `unknown key "${key}"${didYouMean(key, known)}`,
          input: value,
        });
      } else {
        kept[key] = v;
      }
    }
    if (dropped.length > 0) kept[DROPPED_FIELD] = dropped;
    return kept;
  }, carrier);
}

/** ` (did you mean "x"?)` when a known key is close enough, otherwise the list of valid keys. */
export function didYouMean(key: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = levenshtein(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3))) {
    return ` (did you mean "${best}"?)`;
  }
  return known.length > 0 ? `; valid keys: ${known.join(', ')}` : '';
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** Paths (dot-joined) of every key that an omObject accepted but ignored, found in a parsed config. */
export function collectIgnoredKeys(value: unknown, path: string[] = []): string[] {
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  const ignored = (value as Record<symbol, unknown>)[IGNORED_KEYS];
  if (Array.isArray(ignored)) found.push(...ignored.map((k: string) => [...path, k].join('.')));
  for (const [key, child] of Object.entries(value)) found.push(...collectIgnoredKeys(child, [...path, key]));
  return found;
}

/**
 * A union of omObjects told apart by a string key (usually `type`). Unlike z.discriminatedUnion it
 * accepts preprocessed members, and it reports the chosen member's issues with their own paths.
 */
export function taggedUnion<T extends Record<string, z.ZodType>>(key: string, members: T) {
  const tags = Object.keys(members);
  return z.unknown().transform((value, ctx) => {
    const tag = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    const member = typeof tag === 'string' && Object.hasOwn(members, tag) ? members[tag] : undefined;
    if (!member) {
      ctx.addIssue({
        code: 'custom',
        path: value !== null && typeof value === 'object' ? [key] : [],
        message: `${value !== null && typeof value === 'object' ? '' : 'must be a mapping whose '}${key} is one of ${tags.map((t) => `"${t}"`).join(', ')}`,
        input: value,
      });
      return z.NEVER;
    }
    const parsed = member.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue(issue as never);
      return z.NEVER;
    }
    return parsed.data as z.output<T[keyof T]>;
  });
}

/**
 * `schema`, preceded by a check that refuses an OpenMetadata form argo-ingest does not support with one
 * sentence naming the supported form, instead of the schema's key-by-key errors.
 */
export function unsupportedForm<T extends z.ZodType>(
  schema: T,
  check: (value: unknown) => { readonly path: PropertyKey[]; readonly message: string } | undefined,
) {
  return z.unknown().transform((value, ctx): z.output<T> => {
    const refused = check(value);
    if (refused) {
      ctx.addIssue({ code: 'custom', path: refused.path, message: refused.message, input: value });
      return z.NEVER;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue(issue as never);
      return z.NEVER;
    }
    return parsed.data;
  });
}

/** The `type` of a mapping, when it is a string. */
export function typeOf(value: unknown): string | undefined {
  const type = value !== null && typeof value === 'object' ? (value as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : undefined;
}
