import { z } from 'zod';
import { omObject } from '../../config/om-object.js';
import { urlField } from '../../config/fields.js';
import { secret } from '../connection-common.js';

/** serviceConnection.config for `type: tableau` (OpenMetadata tableauConnection.json). */
export const tableauConnectionSchema = omObject(
  {
    type: z.literal('Tableau').default('Tableau'),
    hostPort: urlField('https://tableau.example.com'),
    authType: z.union([
      z.object({ username: z.string().min(1), password: secret }).strict(),
      z.object({ personalAccessTokenName: z.string().min(1), personalAccessTokenSecret: secret }).strict(),
    ]),
    apiVersion: z.string().default('3.19'),
    siteName: z.string().optional(),
    siteUrl: z.string().optional(),
    env: z.string().default('tableau_prod'),
  },
  { ignored: ['verifySSL', 'sslConfig', 'supportsMetadataExtraction', 'paginationLimit'] },
);

export type TableauConnection = z.output<typeof tableauConnectionSchema>;
