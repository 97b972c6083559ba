import { z } from 'zod';
import { omObject } from '../../config/om-object.js';
import { urlField } from '../../config/fields.js';
import { secret } from '../connection-common.js';

/** serviceConnection.config for `type: powerbi` (OpenMetadata powerBIConnection.json). */
export const powerbiConnectionSchema = omObject(
  {
    type: z.literal('PowerBI').default('PowerBI'),
    clientId: z.string().min(1),
    clientSecret: secret,
    tenantId: z.string().min(1),
    authorityURI: urlField('https://powerbi.example.com').default('https://login.microsoftonline.com/'),
    hostPort: urlField('https://powerbi.example.com').default('https://app.powerbi.com'),
    scope: z.array(z.string()).default(['https://analysis.windows.net/powerbi/api/.default']),
    pagination_entity_per_page: z.number().int().min(1).max(5000).default(100),
    useAdminApis: z.boolean().default(true),
  },
  { ignored: ['supportsMetadataExtraction', 'pbitFilesSource'] },
);

export type PowerbiConnection = z.output<typeof powerbiConnectionSchema>;
