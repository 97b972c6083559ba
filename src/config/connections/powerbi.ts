import { z } from 'zod';
import { urlField } from '../fields.js';
import { omConnection } from './common.js';
import { maxConcurrentRequests, requiredSecret } from './dashboard-common.js';

const DEFAULT_API_URL = 'https://api.powerbi.com';

/**
 * serviceConnection.config for `type: powerbi` (OpenMetadata 1.0.4 powerBIConnection.json): an Azure AD
 * app registration (service principal) signing in with the client-credentials grant.
 */
export const powerbiConnectionSchema = omConnection('powerbi', {
  type: z.literal('PowerBI').default('PowerBI'),
  clientId: z.string().min(1, 'must not be empty; use the application (client) id of the Azure AD app'),
  clientSecret: requiredSecret,
  tenantId: z.string().min(1, 'must not be empty; use the Azure AD directory (tenant) id'),
  /** Azure AD authority; the token endpoint is `<authorityURI><tenantId>/oauth2/v2.0/token`. */
  authorityURI: urlField('https://login.microsoftonline.com/').default('https://login.microsoftonline.com/'),
  /** The Power BI web app, for links. */
  hostPort: urlField('https://app.powerbi.com').default('https://app.powerbi.com'),
  scope: z.array(z.string().min(1)).min(1).default(['https://analysis.windows.net/powerbi/api/.default']),
  /** Page size of the paged Power BI calls ($top). */
  pagination_entity_per_page: z.number().int().min(1).max(5000).default(100),
  /** Admin APIs (Tenant.Read.All) see every workspace; without them, only the app's workspaces. */
  useAdminApis: z.boolean().default(true),
  /** The Power BI REST API host (sovereign clouds, tests); OpenMetadata 1.13 spells it `apiURL`. */
  apiUrl: urlField('https://api.powerbi.com').optional(),
  apiURL: urlField('https://api.powerbi.com').optional(),
  maxConcurrentRequests,
})
  .superRefine((config, ctx) => {
    if (config.apiUrl !== undefined && config.apiURL !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['apiURL'],
        message: 'set either "apiURL" (OpenMetadata 1.13) or "apiUrl", not both',
      });
    }
  })
  // In place, so the keys accepted but not acted on stay attached for `validate`.
  .transform((config) => Object.assign(config, { apiUrl: config.apiURL ?? config.apiUrl ?? DEFAULT_API_URL }));

export type PowerbiConnection = z.output<typeof powerbiConnectionSchema>;
