import { z } from 'zod';
import { urlField } from '../fields.js';
import { omConnection, secret } from './common.js';
import { maxConcurrentRequests } from './dashboard-common.js';

/**
 * serviceConnection.config for `type: metabase` (OpenMetadata 1.0.4 metabaseConnection.json): a
 * username/password session, or (an argo-ingest addition) a Metabase API key.
 */
export const metabaseConnectionSchema = omConnection('metabase', {
  type: z.literal('Metabase').default('Metabase'),
  username: z.string().min(1).optional(),
  password: secret.optional(),
  /** A Metabase API key (Admin > Settings > Authentication > API keys), instead of username/password. */
  apiKey: secret.optional(),
  hostPort: urlField('https://metabase.example.com'),
  maxConcurrentRequests,
}).superRefine((config, ctx) => {
  if (config.apiKey !== undefined) {
    if (config.password !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['apiKey'],
        message: 'set either "apiKey" or "username"/"password", not both',
      });
    }
    return;
  }
  if (config.username === undefined) {
    ctx.addIssue({ code: 'custom', path: ['username'], message: 'is required (or set "apiKey" instead)' });
  }
  if (config.password === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['password'],
      message: 'is required with "username" (or set "apiKey" instead)',
    });
  }
});

export type MetabaseConnection = z.output<typeof metabaseConnectionSchema>;
