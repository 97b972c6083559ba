import { z } from 'zod';
import { omObject } from '../../config/om-object.js';
import { COMMON_IGNORED, onePasswordForm } from '../connection-common.js';
import { pgConnectionFields } from '../sql-common/pg-connection.js';

/** serviceConnection.config for `type: redshift` (OpenMetadata redshiftConnection.json). */
export const redshiftConnectionSchema = omObject(
  {
    type: z.literal('Redshift').default('Redshift'),
    ...pgConnectionFields,
  },
  { ignored: [...COMMON_IGNORED, 'sslConfig'] },
).superRefine(onePasswordForm);

export type RedshiftConnection = z.output<typeof redshiftConnectionSchema>;
