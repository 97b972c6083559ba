/**
 * The parts of Argo Workflows' controller that decide what a steps template does, re-stated in
 * TypeScript from the controller's source (the same code at tags v3.6.19, v3.7.18, v4.0.10 and v4.1.2
 * unless a function says otherwise). The emulator (emulator.ts) is built from these; each function names
 * the Go function it follows.
 */

export type NodePhase = 'Succeeded' | 'Failed' | 'Error';

/** Argo's `MaxEnvVarLen` (workflow/common/common.go): the largest ARGO_TEMPLATE kept in the pod spec. */
export const MAX_ENV_VAR_LEN = 131_072;

export interface ContinueOn {
  readonly failed?: boolean;
  readonly error?: boolean;
}

/**
 * `continues()` in pkg/apis/workflow/v1alpha1/workflow_types.go: a step continues past a child only for
 * the phase its own flag names (Failed for `failed`, Error for `error`).
 */
export function continues(continueOn: ContinueOn | undefined, phase: NodePhase): boolean {
  if (!continueOn) return false;
  if (continueOn.error === true && phase === 'Error') return true;
  if (continueOn.failed === true && phase === 'Failed') return true;
  return false;
}

/** `FailedOrError()` on NodeStatus. */
export function failedOrError(phase: NodePhase): boolean {
  return phase === 'Failed' || phase === 'Error';
}

/**
 * Go's `json.Marshal` of a string-valued structure: JSON with `<`, `>`, `&`, U+2028 and U+2029 escaped
 * (Go's default HTML-safe encoder). Keys of maps come out sorted, as Go sorts map keys.
 */
export function goJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)).replace(/[<>&\u2028\u2029]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

/**
 * The escaping `simpleReplace` / `simpleReplaceStrict` (util/template/simple_template.go) apply to a
 * value substituted into a JSON-serialised step or template: `strconv.Quote` without its quotes. For the
 * printable ASCII the worker writes this equals JSON string escaping.
 */
export function quoteForSubstitution(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/** A `{{...}}` the controller cannot resolve where it must (see `substitute`). */
export class UnresolvedVariableError extends Error {
  constructor(readonly tag: string) {
    super(`failed to resolve {{${tag}}}`);
    this.name = 'UnresolvedVariableError';
  }
}

/**
 * `template.Replace` / `ReplaceStrictAny` over JSON text: each `{{tag}}` found in `scope` is replaced by
 * its escaped value. An unknown tag stays as written, except that a `steps.` / `tasks.` tag is strict
 * when `strict` is set: resolveReferences (workflow/controller/steps.go) then requeues the workflow
 * (IsMissingVariableErr) and retries until activeDeadlineSeconds. Argo v3.7.11 and v4.0.2 made these
 * tags strict; before, the literal `{{...}}` text went on to the pod.
 */
export function substitute(json: string, scope: ReadonlyMap<string, string>, strict: boolean): string {
  return json.replace(/\{\{([^{}]*)\}\}/g, (whole, raw: string) => {
    const tag = raw.trim();
    const value = scope.get(tag);
    if (value !== undefined) return quoteForSubstitution(value);
    if (strict && /^(steps|tasks)\./.test(tag)) throw new UnresolvedVariableError(tag);
    return whole;
  });
}

/**
 * The outputs `processAggregateNodeOutputs` (workflow/controller/operator.go) puts in scope after a
 * fanned-out step: only children in phase Succeeded count (in loop order).
 *
 * - `<prefix>.outputs.parameters`: the JSON list of their output maps, always set (`[]` when none
 *   succeeded) as long as the step had children.
 * - `<prefix>.outputs.parameters.<name>`: the JSON list of that parameter's values, set only when some
 *   child produced it. From v3.7 (aggregatedJSONValueList) a list whose every value is a JSON object
 *   or list is embedded as JSON; otherwise (and always in v3.6) it is a list of strings.
 */
export function aggregateOutputs(
  prefix: string,
  children: readonly { readonly phase: NodePhase; readonly outputs?: ReadonlyMap<string, string> }[],
  version: string,
): Map<string, string> {
  const [major, minor] = parseVersion(version);
  const embedJson = major > 3 || (major === 3 && minor >= 7);
  const scope = new Map<string, string>();
  if (children.length === 0) return scope;
  const maps: Record<string, string>[] = [];
  const lists = new Map<string, string[]>();
  for (const child of children) {
    if (child.phase !== 'Succeeded' || !child.outputs || child.outputs.size === 0) continue;
    maps.push(Object.fromEntries(child.outputs));
    for (const [name, value] of child.outputs) lists.set(name, [...(lists.get(name) ?? []), value]);
  }
  scope.set(`${prefix}.outputs.parameters`, goJson(maps));
  for (const [name, values] of lists) {
    scope.set(`${prefix}.outputs.parameters.${name}`, goJson(embedJson ? jsonValues(values) : values));
  }
  return scope;
}

function jsonValues(values: readonly string[]): unknown[] {
  const parsed: unknown[] = [];
  for (const value of values) {
    try {
      const item: unknown = JSON.parse(value);
      if (item === null || typeof item !== 'object') return [...values];
      parsed.push(item);
    } catch {
      return [...values];
    }
  }
  return parsed;
}

export interface Sequence {
  readonly count?: string | number;
  readonly start?: string | number;
  readonly end?: string | number;
  readonly format?: string;
}

/** `expandSequence` (workflow/controller/operator.go): the items of a `withSequence`. */
export function expandSequence(sequence: Sequence): string[] {
  const integer = (name: string, value: string | number | undefined, fallback: number): number => {
    if (value === undefined || value === '') return fallback;
    const text = String(value).trim();
    if (!/^-?\d+$/.test(text)) throw new Error(`withSequence.${name} "${text}" is not an integer`);
    return Number(text);
  };
  const start = integer('start', sequence.start, 0);
  let end: number;
  if (sequence.count !== undefined && sequence.count !== '') {
    const count = integer('count', sequence.count, 0);
    if (count === 0) return [];
    end = start + count - 1;
  } else {
    end = integer('end', sequence.end, start);
  }
  const items: string[] = [];
  const step = start <= end ? 1 : -1;
  for (let i = start; step > 0 ? i <= end : i >= end; i += step) items.push(String(i));
  return items;
}

/** `withParam`: a JSON list (expandStep, workflow/controller/steps.go). */
export function expandParam(text: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`withParam value could not be parsed as a JSON list: ${text.slice(0, 200)}`);
  }
  if (!Array.isArray(parsed)) throw new Error(`withParam value is not a JSON list: ${text.slice(0, 200)}`);
  return parsed;
}

/** The text of an item in node names and `{{item}}` (a string as is, anything else as JSON). */
export function itemText(item: unknown): string {
  return typeof item === 'string' ? item : goJson(item);
}

/**
 * Whether a retryStrategy retries a node that ended in `phase` (`retryPolicy`; Argo's default is
 * OnFailure): Always retries both, OnFailure only Failed, OnError only Error.
 */
export function retries(policy: string | undefined, phase: NodePhase): boolean {
  switch (policy ?? 'OnFailure') {
    case 'Always':
      return phase !== 'Succeeded';
    case 'OnError':
      return phase === 'Error';
    case 'OnTransientError':
      return false;
    default:
      return phase === 'Failed';
  }
}

/** `major.minor.patch` of a version such as `4.1.2`, `v3.7` (missing parts are 0). */
export function parseVersion(version: string): [number, number, number] {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(version.trim());
  if (!m) throw new Error(`not an Argo version: "${version}"`);
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

/** Whether unresolved `steps.*` tags make the controller requeue (v3.7.11+ within 3.7, v4.0.2+). */
export function strictStepReferences(version: string): boolean {
  const [major, minor, patch] = parseVersion(version);
  if (major > 4 || (major === 4 && (minor > 0 || patch >= 2))) return true;
  if (major === 3 && minor === 7) return patch >= 11;
  return false;
}

/**
 * Whether the executor writes input artifacts through the main container's own filesystem (Argo 4.1's
 * init-less pod layout): an artifact path outside every volume mount then fails under
 * readOnlyRootFilesystem. Older layouts stage it from an init container into a sub-path mount.
 */
export function initLessLayout(version: string): boolean {
  const [major, minor] = parseVersion(version);
  return major > 4 || (major === 4 && minor >= 1);
}
