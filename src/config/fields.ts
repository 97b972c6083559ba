import { z } from 'zod';
import { PLACEHOLDER } from './substitute.js';

function hasPlaceholder(s: string): boolean {
  return new RegExp(PLACEHOLDER.source).test(s);
}

/**
 * A URL, or a string holding `${VAR}` (checked again after substitution by resolveConfig).
 * @param example shown in the error, e.g. "http://openmetadata:8585/api"
 */
export function urlField(example: string) {
  return z.string().refine((s) => hasPlaceholder(s) || URL.canParse(s), {
    message: `must be a URL such as ${example}, or \${VAR}`,
  });
}
