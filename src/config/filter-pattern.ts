import { z } from 'zod';
import { omObject } from './om-object.js';

const regex = z.string().superRefine((source, ctx) => {
  try {
    new RegExp(source);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${(error as Error).message}` });
  }
});

/** OpenMetadata's filterPattern: regexes matched at the start of a name, case-insensitively. */
export const filterPatternSchema = omObject({
  includes: z.array(regex).default([]),
  excludes: z.array(regex).default([]),
});

export type FilterPattern = z.output<typeof filterPatternSchema>;
