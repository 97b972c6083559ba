import { z } from 'zod';
import { omObject } from '../../config/om-object.js';
import { COMMON_IGNORED, basicAuth, hostPort, onePasswordForm, secret } from '../connection-common.js';

/** serviceConnection.config for `type: redshift` (OpenMetadata redshiftConnection.json). */
export const redshiftConnectionSchema = omObject(
  {
    type: z.literal('Redshift').default('Redshift'),
    username: z.string().min(1),
    password: secret.optional(),
    authType: basicAuth.optional(),
    hostPort,
    database: z.string().min(1),
    ingestAllDatabases: z.boolean().default(false),
    sslMode: z.enum(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']).optional(),
  },
  { ignored: [...COMMON_IGNORED, 'sslConfig'] },
).superRefine(onePasswordForm);

export type RedshiftConnection = z.output<typeof redshiftConnectionSchema>;
