import { z } from 'zod';
import { omObject, typeOf, unsupportedForm } from '../om-object.js';
import { urlField } from '../fields.js';
import { omConnection } from './common.js';
import { maxConcurrentRequests, requiredSecret } from './dashboard-common.js';

/** Superset's REST API login (OpenMetadata supersetApiConnection.json). */
const apiConnection = omObject(
  {
    provider: z.enum(['db', 'ldap']).default('db'),
    username: z.string().min(1),
    password: requiredSecret,
  },
  // OpenMetadata 1.13's TLS options of the API form; Node verifies https certificates itself.
  { ignored: ['verifySSL', 'sslConfig'] },
);

/**
 * `connection`: the API form. OpenMetadata's database forms (`type: Postgres` / `type: Mysql`, reading
 * Superset's metadata database) are refused in one sentence naming the API form.
 */
const connection = unsupportedForm(apiConnection, (value) => {
  const type = typeOf(value);
  return type === undefined
    ? undefined
    : {
        path: ['type'],
        message:
          `reading Superset's metadata database (connection.type: ${type}) is not supported; use Superset's ` +
          'REST API form instead: connection: {provider: db, username: ..., password: ${VAR}}',
      };
});

/**
 * serviceConnection.config for `type: superset` (OpenMetadata 1.0.4 supersetConnection.json, the API
 * form: supersetApiConnection.json). The database forms (reading Superset's metadata database) are not
 * supported; the REST API is.
 */
export const supersetConnectionSchema = omConnection('superset', {
  type: z.literal('Superset').default('Superset'),
  hostPort: urlField('https://superset.example.com').default('http://localhost:8088'),
  connection,
  maxConcurrentRequests,
});

export type SupersetConnection = z.output<typeof supersetConnectionSchema>;
