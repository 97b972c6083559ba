import { z } from 'zod';
import { omObject } from '../om-object.js';
import { urlField } from '../fields.js';
import { omConnection } from './common.js';
import { maxConcurrentRequests, requiredSecret } from './dashboard-common.js';

const basicAuth = omObject({ username: z.string().min(1), password: requiredSecret });
const accessTokenAuth = omObject({
  personalAccessTokenName: z.string().min(1),
  personalAccessTokenSecret: requiredSecret,
});

/** Credentials at the top level (OpenMetadata before 1.0): refused, naming the authType form. */
const MOVED_TO_AUTH_TYPE =
  'Tableau credentials go under authType: {username, password: ${VAR}} or ' +
  '{personalAccessTokenName, personalAccessTokenSecret: ${VAR}} (OpenMetadata 1.0 and later)';

/**
 * serviceConnection.config for `type: tableau` (OpenMetadata 1.0.4 tableauConnection.json): a personal
 * access token (recommended; required on Tableau Cloud with MFA) or a username/password.
 */
export const tableauConnectionSchema = omConnection(
  'tableau',
  {
    type: z.literal('Tableau').default('Tableau'),
    hostPort: urlField('https://tableau.example.com'),
    authType: z.union([basicAuth, accessTokenAuth], {
      message: 'must be {username, password} or {personalAccessTokenName, personalAccessTokenSecret}',
    }),
    /** REST API version, e.g. 3.19 (Tableau Server 2023.1). */
    apiVersion: z
      .string()
      .regex(/^\d+\.\d+$/, 'must be a REST API version such as "3.19"')
      .default('3.19'),
    siteName: z.string().optional(),
    /** The site's contentUrl (the part after /site/ in its URLs); empty or omitted for the Default site. */
    siteUrl: z.string().optional(),
    env: z.string().default('tableau_prod'),
    /** Page size of the workbook listing (pageSize, at most 1000). */
    paginationLimit: z.number().int().min(1).max(1000).default(100),
    maxConcurrentRequests,
  },
  Object.fromEntries(
    ['username', 'password', 'personalAccessTokenName', 'personalAccessTokenSecret'].map((key) => [
      key,
      MOVED_TO_AUTH_TYPE,
    ]),
  ),
);

export type TableauConnection = z.output<typeof tableauConnectionSchema>;
