import { z } from 'zod';
import { CONNECTION_KEYS } from '../generated/openmetadata-keys.js';
import { omObject } from '../om-object.js';

/** `host:port`, or a URL for HTTP services. */
export const hostPort = z.string().min(1, 'must not be empty; use host:port');

/** A secret: in a config it must be `${VAR}` (checked by config/secrets.ts before parsing). */
export const secret = z.string();

const PASSWORD_FORM = 'use authType: {password: ${VAR}} (a database login) instead';

/**
 * OpenMetadata's current password form: `authType: {password: ...}` (basicAuth). Its other authType forms
 * need a cloud client argo-ingest does not ship; they are refused with the form to use.
 */
export const basicAuth = omObject(
  { password: secret },
  {
    refused: {
      awsConfig: `AWS IAM authentication (authType.awsConfig) needs AWS request signing, which argo-ingest does not ship; ${PASSWORD_FORM}`,
      azureConfig: `Azure AD authentication (authType.azureConfig) needs the Azure identity client, which argo-ingest does not ship; ${PASSWORD_FORM}`,
      gcpConfig: `Cloud SQL IAM authentication (authType.gcpConfig) needs Google's Cloud SQL connector, which argo-ingest does not ship; ${PASSWORD_FORM}`,
      enableIamAuth: `Cloud SQL IAM authentication (authType.enableIamAuth) needs Google's Cloud SQL connector, which argo-ingest does not ship; ${PASSWORD_FORM}`,
    },
  },
);

/**
 * The login of OpenMetadata's basic-auth database connections, in both password forms; add
 * `.superRefine(onePasswordForm)` to the connection schema.
 */
export const basicAuthFields = {
  username: z.string().min(1),
  password: secret.optional(),
  authType: basicAuth.optional(),
};

/**
 * A connector's `serviceConnection.config`: the keys of `shape` are acted on; every other key that
 * OpenMetadata defines for `sourceType` (in any vendored schema version, see
 * config/generated/openmetadata-keys.ts) is accepted and listed by `validate` as not acted on; any
 * other key is an error with a did-you-mean.
 */
export function omConnection<S extends z.ZodRawShape>(
  sourceType: string,
  shape: S,
  /** OpenMetadata keys refused with a sentence naming the supported form (see OmObjectOptions.refused). */
  refused: Readonly<Record<string, string>> = {},
) {
  const known = CONNECTION_KEYS[sourceType];
  if (known === undefined) throw new Error(`no OpenMetadata connection schema is vendored for "${sourceType}"`);
  const ignored = known.filter((key) => !Object.hasOwn(shape, key) && !Object.hasOwn(refused, key));
  ACTED_ON.set(sourceType, Object.keys(shape));
  return omObject(shape, { ignored, refused });
}

const ACTED_ON = new Map<string, readonly string[]>();

/** The `serviceConnection.config` keys a connector acts on (its schema's own keys), once it is loaded. */
export function connectionKeysActedOn(sourceType: string): readonly string[] {
  return ACTED_ON.get(sourceType) ?? [];
}

/**
 * The password of a connection that accepts both OpenMetadata forms: `password` (1.0.x) and
 * `authType: {password}` (current releases). Undefined when neither is set.
 */
export function passwordOf(config: { password?: string; authType?: { password: string } }): string | undefined {
  return config.password ?? config.authType?.password;
}

/** Refinement: `password` and `authType.password` are alternatives, not both. */
export function onePasswordForm(config: { password?: string; authType?: unknown }, ctx: z.RefinementCtx): void {
  if (config.password !== undefined && config.authType !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['authType'],
      message: 'set either "password" (OpenMetadata 1.0) or "authType.password" (current releases), not both',
    });
  }
}
