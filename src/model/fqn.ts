/**
 * OpenMetadata fully qualified names: parts joined by `.`, a part that contains `.` wrapped in double
 * quotes (FullyQualifiedName.quoteName upstream). Names with `"` cannot be quoted; OpenMetadata 2.0
 * rejects them anyway, and the entity is reported as failed by the sink.
 */
export function quoteName(name: string): string {
  return name.includes('.') ? `"${name}"` : name;
}

export function buildFqn(...parts: readonly string[]): string {
  return parts.map(quoteName).join('.');
}

/** Splits an FQN built by buildFqn back into its parts. */
export function splitFqn(fqn: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of fqn) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '.' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}
