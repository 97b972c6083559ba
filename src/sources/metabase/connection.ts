import { z } from 'zod';
import { omObject } from '../../config/om-object.js';
import { urlField } from '../../config/fields.js';
import { secret } from '../connection-common.js';

/** serviceConnection.config for `type: metabase` (OpenMetadata metabaseConnection.json). */
export const metabaseConnectionSchema = omObject(
  {
    type: z.literal('Metabase').default('Metabase'),
    username: z.string().optional(),
    password: secret.optional(),
    /** A Metabase API key, instead of username/password. */
    apiKey: secret.optional(),
    hostPort: urlField('https://metabase.example.com'),
  },
  { ignored: ['supportsMetadataExtraction'] },
);

export type MetabaseConnection = z.output<typeof metabaseConnectionSchema>;
