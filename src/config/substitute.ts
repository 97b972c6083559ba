/**
 * `${VAR}` substitution. Only the explicit `${NAME}` form is replaced; a lone `$` (common in passwords)
 * stays as it is (open-metadata/OpenMetadata#1750).
 */
export const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Names of every `${VAR}` in a parsed config, sorted and unique. */
export function collectVariables(value: unknown): string[] {
  const names = new Set<string>();
  visitStrings(value, (s) => {
    for (const match of s.matchAll(PLACEHOLDER)) names.add(match[1]!);
  });
  return [...names].sort();
}

export class MissingVariablesError extends Error {
  constructor(
    readonly variables: readonly string[],
    /** The config file that refers to them, when known; it starts the message like a ConfigError's. */
    readonly file?: string,
  ) {
    const many = variables.length > 1;
    super(
      `${file !== undefined ? `${file}: ` : ''}environment variable${many ? 's' : ''} ${variables.join(', ')} ` +
        `${many ? 'are' : 'is'} not set; the config refers to ${variables.map((v) => '${' + v + '}').join(', ')}. ` +
        `Export ${many ? 'them' : 'it'} (or, on Kubernetes, put ${many ? 'them' : 'it'} in the pipeline's Secret).`,
    );
    this.name = 'MissingVariablesError';
  }
}

/**
 * A deep copy of `value` with every `${VAR}` replaced from `env`; throws MissingVariablesError (naming
 * `file` when given).
 */
export function substituteVariables<T>(value: T, env: NodeJS.ProcessEnv = process.env, file?: string): T {
  const missing = collectVariables(value).filter((name) => env[name] === undefined);
  if (missing.length > 0) throw new MissingVariablesError(missing, file);
  return mapStrings(value, (s) => s.replace(PLACEHOLDER, (_, name: string) => env[name]!)) as T;
}

function visitStrings(value: unknown, visit: (s: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((v) => visitStrings(v, visit));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => visitStrings(v, visit));
}

function mapStrings(value: unknown, map: (s: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, map));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, map);
    return out;
  }
  return value;
}
