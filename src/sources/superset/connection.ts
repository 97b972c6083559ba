import { z } from 'zod';
import { omObject } from '../../config/om-object.js';
import { urlField } from '../../config/fields.js';
import { omConnection } from '../connection-common.js';
import { maxConcurrentRequests, requiredSecret } from '../dashboard-common/connection.js';

/**
 * serviceConnection.config for `type: superset` (OpenMetadata 1.0.4 supersetConnection.json, the API
 * form: supersetApiConnection.json). The database forms (reading Superset's metadata database) are not
 * supported; the REST API is.
 */
export const supersetConnectionSchema = omConnection('superset', {
  type: z.literal('Superset').default('Superset'),
  hostPort: urlField('https://superset.example.com').default('http://localhost:8088'),
  connection: omObject({
    provider: z.enum(['db', 'ldap']).default('db'),
    username: z.string().min(1),
    password: requiredSecret,
  }),
  maxConcurrentRequests,
});

export type SupersetConnection = z.output<typeof supersetConnectionSchema>;
