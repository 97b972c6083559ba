/**
 * Secret-field rules. A config may hold secrets only as `${VAR}` placeholders: the value reaches the pod
 * from a Kubernetes Secret and is substituted at start-up, so it never lands in a manifest or a file.
 */

/** Key names (case-insensitive, exact) whose values are secrets. */
export const SECRET_KEY_NAMES: readonly string[] = [
  'password',
  'token',
  'jwtToken',
  'privateKey',
  'privateKeyPassphrase',
  'snowflakePrivatekeyPassphrase',
  'clientSecret',
  'credentials',
  'apiKey',
  'secretKey',
  'awsSecretAccessKey',
  'awsSessionToken',
  'personalAccessTokenSecret',
  'accessToken',
  'sessionToken',
  'sslKey',
  'private_key',
  'private_key_id',
];

const SECRET_KEYS = new Set(SECRET_KEY_NAMES.map((k) => k.toLowerCase()));

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase());
}

/** A value made only of `${VAR}` placeholders (at least one); literal text around them is not allowed. */
export const PLACEHOLDER_ONLY = /^(\$\{[A-Za-z_][A-Za-z0-9_]*\})+$/;

export interface LiteralSecret {
  /** Dot-joined path of the offending field, e.g. `source.serviceConnection.config.password`. */
  readonly path: string;
}

/**
 * Every secret-like field holding a literal value (anything but `${VAR}` placeholders). A secret-like
 * key whose value is an object (e.g. `credentials: {gcpConfig: ...}`) is searched inside: its string
 * leaves are secrets too, except for `type`-like discriminators.
 */
export function findLiteralSecrets(value: unknown, path: string[] = [], inSecret = false): LiteralSecret[] {
  if (typeof value === 'string') {
    return inSecret && value !== '' && !PLACEHOLDER_ONLY.test(value) ? [{ path: path.join('.') }] : [];
  }
  if (value === null || typeof value !== 'object') return [];
  const found: LiteralSecret[] = [];
  for (const [key, child] of Object.entries(value)) {
    const secret = inSecret ? !NON_SECRET_LEAVES.has(key) : isSecretKey(key);
    found.push(...findLiteralSecrets(child, [...path, key], secret));
  }
  return found;
}

/** Leaves inside a secret object that are descriptive, not secret (e.g. `credentials.gcpConfig.type`). */
const NON_SECRET_LEAVES = new Set(['type', 'projectId', 'clientEmail', 'clientId', 'authUri', 'tokenUri']);
