import { z } from 'zod';
import { basicAuthFields, hostPort, omConnection, onePasswordForm } from './common.js';

/** A service name or SID; it is written into a connect descriptor, so only its own characters. */
const oracleName = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9_.$#-]+$/, 'must be a service name or SID: letters, digits and _ . $ # - only');

/** serviceConnection.config for `type: oracle` (OpenMetadata oracleConnection.json). */
export const oracleConnectionSchema = omConnection('oracle', {
  type: z.literal('Oracle').default('Oracle'),
  ...basicAuthFields,
  /** `host:port` of the listener (default port 1521); unused with oracleTNSConnection. */
  hostPort,
  /**
   * How to reach the database: `{oracleServiceName: X}` (a service name), `{databaseSchema: X}` (a
   * SID, as OpenMetadata's URL form `host:port/X` means), or `{oracleTNSConnection: X}` (a full
   * connect descriptor or Easy Connect string, used as is).
   */
  oracleConnectionType: z.union([
    z.object({ oracleServiceName: oracleName }).strict(),
    z.object({ databaseSchema: oracleName }).strict(),
    z.object({ oracleTNSConnection: z.string().min(1) }).strict(),
  ]),
}).superRefine(onePasswordForm);

export type OracleConnection = z.output<typeof oracleConnectionSchema>;
