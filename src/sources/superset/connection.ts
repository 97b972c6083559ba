import { z } from 'zod';
import { omObject } from '../../config/om-object.js';
import { urlField } from '../../config/fields.js';
import { secret } from '../connection-common.js';

/** serviceConnection.config for `type: superset` (OpenMetadata supersetConnection.json, API form). */
export const supersetConnectionSchema = omObject(
  {
    type: z.literal('Superset').default('Superset'),
    hostPort: urlField('https://superset.example.com').default('http://localhost:8088'),
    connection: z
      .object({
        provider: z.enum(['db', 'ldap']).default('db'),
        username: z.string().min(1),
        password: secret,
      })
      .strict(),
  },
  { ignored: ['supportsMetadataExtraction'] },
);

export type SupersetConnection = z.output<typeof supersetConnectionSchema>;
