/**
 * Values that Kubernetes, the container runtime or Argo's cron parser would refuse later, checked when
 * the config is validated, with the rules of their sources.
 */

/**
 * An image reference as the container runtime parses it (github.com/distribution/reference
 * regexp.go ReferenceRegexp: `name[:tag][@digest]`, name components lower-case `[a-z0-9]+` joined by
 * `[._]|__|[-]+`, an optional `domain[:port]/` prefix; reference.go: the name is at most 255
 * characters).
 */
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainNameComponent}(?:\\.${domainNameComponent})*|\\[[a-fA-F0-9:]+\\])`;
const domainAndPort = `${host}(?::[0-9]+)?`;
const namePattern = `(?:${domainAndPort}/)?${pathComponent}(?:/${pathComponent})*`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${namePattern})(?::(${tag}))?(?:@(${digest}))?$`);
const NAME_TOTAL_LENGTH_MAX = 255;

/** Why `image` is not a reference the runtime can pull, or undefined when it is one. */
export function imageReferenceProblem(image: string): string | undefined {
  const example = ' such as "ghcr.io/acme/argo-ingest:0.1.0"';
  if (/\s/.test(image)) return `must be an image reference${example}, without spaces`;
  const match = REFERENCE.exec(image);
  if (!match) {
    const name = image.split('@')[0]!.replace(/:[\w][\w.-]*$/, '');
    const path =
      name.includes('/') && /[.:]|^localhost$/.test(name.split('/')[0]!) ? name.slice(name.indexOf('/') + 1) : name;
    if (/[A-Z]/.test(path)) return `must be an image reference${example}: the repository name must be lower-case`;
    return `must be an image reference${example} (registry/repository[:tag][@sha256:digest])`;
  }
  if (match[1]!.length > NAME_TOTAL_LENGTH_MAX) {
    return `must be an image reference whose name is at most ${NAME_TOTAL_LENGTH_MAX} characters`;
  }
  return undefined;
}

/**
 * A Kubernetes quantity's value (k8s.io/apimachinery pkg/api/resource/quantity.go ParseQuantity:
 * `<signedNumber><suffix>`, suffix one of the binary Ki Mi Gi Ti Pi Ei, the decimal n u m "" k M G T P E,
 * or a decimal exponent e<n> / E<n>), or undefined when the text is not one.
 */
export function parseQuantity(text: string): number | undefined {
  const match = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/.exec(
    text,
  );
  if (!match) return undefined;
  const number = Number(match[1]);
  const suffix = match[2] ?? '';
  const binary: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
  const decimal: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
  if (suffix in binary) return number * 2 ** binary[suffix]!;
  if (suffix in decimal) return number * 10 ** decimal[suffix]!;
  return number * 10 ** Number(suffix.slice(1));
}

/**
 * Field ranges of a 5-field cron expression as Argo parses it (github.com/robfig/cron/v3 parser.go
 * getRange / spec.go bounds: minute 0-59, hour 0-23, day of month 1-31, month 1-12 or JAN-DEC, day of
 * week 0-6 or SUN-SAT; each field a list of `*`, `?`, `N`, `N-M`, with an optional `/step`).
 */
const CRON_FIELDS: readonly { name: string; min: number; max: number; names?: readonly string[] }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** Why `expression` is not a schedule Argo accepts, or undefined. */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return 'must be a 5-field cron expression such as "0 2 * * *"';
  for (let i = 0; i < 5; i++) {
    const spec = CRON_FIELDS[i]!;
    const problem = cronFieldProblem(fields[i]!, spec);
    if (problem) return `${spec.name} field "${fields[i]!}": ${problem}`;
  }
  return undefined;
}

function cronFieldProblem(field: string, spec: (typeof CRON_FIELDS)[number]): string | undefined {
  const value = (text: string): number | undefined => {
    const index = spec.names?.indexOf(text.toLowerCase()) ?? -1;
    if (index >= 0) return spec.min + index;
    return /^[0-9]+$/.test(text) ? Number(text) : undefined;
  };
  const range = `must be within ${spec.min}-${spec.max}`;
  for (const part of field.split(',')) {
    const [base, step, extra] = part.split('/');
    if (extra !== undefined || base === undefined || base === '') return 'is not a cron field';
    if (step !== undefined && (!/^[0-9]+$/.test(step) || Number(step) === 0))
      return `step "/${step}" must be a positive number`;
    if (base === '*' || base === '?') continue;
    const [from, to, more] = base.split('-');
    if (more !== undefined) return 'is not a cron field';
    const start = value(from ?? '');
    const end = to === undefined ? start : value(to);
    if (start === undefined || end === undefined) return 'is not a number, a range or *';
    if (start < spec.min || start > spec.max || end < spec.min || end > spec.max) return `${range}`;
    if (start > end) return `range ${base} ends before it starts`;
  }
  return undefined;
}
