import { z } from 'zod';
import { urlField } from '../fields.js';
import { omConnection } from './common.js';
import { maxConcurrentRequests, requiredSecret } from './dashboard-common.js';

/**
 * serviceConnection.config for `type: looker` (OpenMetadata 1.0.4 lookerConnection.json): an API key of
 * a Looker user (client id + client secret), not a username/password.
 */
export const lookerConnectionSchema = omConnection('looker', {
  type: z.literal('Looker').default('Looker'),
  clientId: z.string().min(1, 'must not be empty; use the client id of a Looker API key'),
  clientSecret: requiredSecret,
  /** The Looker instance, e.g. https://company.looker.com (the API is under /api/4.0). */
  hostPort: urlField('https://looker.example.com'),
  maxConcurrentRequests,
});

export type LookerConnection = z.output<typeof lookerConnectionSchema>;
