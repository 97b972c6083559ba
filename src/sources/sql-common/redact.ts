/**
 * Removes secret values from a driver message before it reaches a log, an error or a result file.
 * Drivers rarely echo credentials, but a connect string or a URL in a message can carry one.
 */
export function redact(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  for (const secret of secrets) {
    if (secret && secret.length >= 3) out = out.split(secret).join('***');
  }
  return out;
}

/** The first line of an error's message, redacted; for `ok: false` outcomes and SourceError causes. */
export function describeError(error: unknown, secrets: readonly (string | undefined)[]): string {
  const message = error instanceof Error ? error.message : String(error);
  return redact(message.split('\n')[0]!.trim(), secrets);
}

/** A socket-level failure: the host cannot be reached at all (as opposed to refusing the login). */
export function isNetworkError(error: unknown): boolean {
  const codes = new Set([
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ECONNRESET',
  ]);
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && codes.has(code)) return true;
    e = (e as { cause?: unknown }).cause ?? (e as { originalError?: unknown }).originalError;
  }
  return false;
}
