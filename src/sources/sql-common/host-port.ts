import { SourceError } from '../contract.js';

export interface HostPortFormat {
  /** The engine's port when hostPort has none. */
  readonly defaultPort: number;
  /** URL schemes accepted (and dropped) in front of the host, e.g. /^mysql(\+\w+)?:\/\//. */
  readonly scheme: RegExp;
  /** A valid hostPort, shown in the error message. */
  readonly example: string;
}

/** Parses `host`, `host:port` or `[ipv6]:port` (after an optional URL scheme) of serviceConnection.config.hostPort. */
export function parseHostPort(hostPort: string, format: HostPortFormat): { host: string; port: number } {
  const value = hostPort.trim().replace(format.scheme, '');
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(value) ?? /^([^:/[\]]+)(?::(\d+))?$/.exec(value);
  const port = match?.[2] === undefined ? format.defaultPort : Number(match[2]);
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SourceError(
      `serviceConnection.config.hostPort ${describeHostPort(hostPort)} is not host:port; write it like "${format.example}".`,
      'config',
    );
  }
  return { host: match[1]!, port };
}

/**
 * How an error names a hostPort without echoing it: the value usually comes from a `${VAR}` filled
 * from a Kubernetes Secret, and a pasted DSN (`postgres://user:password@host/db`) carries a password.
 * Only the shape is told, never the text.
 */
export function describeHostPort(hostPort: string): string {
  const value = hostPort.trim();
  if (value === '') return '(empty)';
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/@]*@/i.test(value) || /^[^/@\s]+:[^/@\s]*@/.test(value)) {
    return '(a connection URL with a user name and password; put them in username and authType.password, and only host:port here)';
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return '(a URL; give only host:port)';
  if (/\s/.test(value)) return '(contains spaces)';
  if (value.includes('/')) return '(contains a path; give only host:port)';
  if (/^(?:\[[^\]]*\]|[^:]+):[^:]*$/.test(value)) return '(its port is not a number within 1-65535)';
  return '(the value is not shown: it may come from a secret)';
}
