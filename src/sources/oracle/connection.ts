import { z } from 'zod';
import { omObject } from '../../config/om-object.js';
import { COMMON_IGNORED, basicAuth, hostPort, onePasswordForm, secret } from '../connection-common.js';

/** serviceConnection.config for `type: oracle` (OpenMetadata oracleConnection.json). */
export const oracleConnectionSchema = omObject(
  {
    type: z.literal('Oracle').default('Oracle'),
    username: z.string().min(1),
    password: secret.optional(),
    authType: basicAuth.optional(),
    hostPort,
    /** `{oracleServiceName: X}` or `{databaseSchema: X}` (a SID in OpenMetadata's naming). */
    oracleConnectionType: z.union([
      z.object({ oracleServiceName: z.string().min(1) }).strict(),
      z.object({ databaseSchema: z.string().min(1) }).strict(),
      z.object({ oracleTNSConnection: z.string().min(1) }).strict(),
    ]),
  },
  { ignored: [...COMMON_IGNORED, 'instantClientDirectory'] },
).superRefine(onePasswordForm);

export type OracleConnection = z.output<typeof oracleConnectionSchema>;
