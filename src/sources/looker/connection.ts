import { z } from 'zod';
import { omObject } from '../../config/om-object.js';
import { urlField } from '../../config/fields.js';
import { secret } from '../connection-common.js';

/** serviceConnection.config for `type: looker` (OpenMetadata lookerConnection.json). */
export const lookerConnectionSchema = omObject(
  {
    type: z.literal('Looker').default('Looker'),
    clientId: z.string().min(1),
    clientSecret: secret,
    hostPort: urlField('https://looker.example.com'),
  },
  { ignored: ['githubCredentials', 'gitCredentials', 'supportsMetadataExtraction'] },
);

export type LookerConnection = z.output<typeof lookerConnectionSchema>;
