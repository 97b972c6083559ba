import type { FilterPattern } from '../../config/filter-pattern.js';

/**
 * OpenMetadata's filter semantics: each regex is matched at the start of the name, case-insensitively;
 * when `includes` is non-empty a name must match one of them and `excludes` is ignored; otherwise a
 * name matching any of `excludes` is dropped. No pattern keeps everything.
 */
export function compileFilter(pattern: FilterPattern | undefined): (name: string) => boolean {
  if (!pattern) return () => true;
  const compile = (sources: readonly string[]) => sources.map((s) => new RegExp(`^(?:${s})`, 'i'));
  const includes = compile(pattern.includes);
  if (includes.length > 0) return (name) => includes.some((r) => r.test(name));
  const excludes = compile(pattern.excludes);
  return (name) => !excludes.some((r) => r.test(name));
}
