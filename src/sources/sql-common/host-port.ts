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
      `serviceConnection.config.hostPort "${hostPort}" is not host:port; write it like "${format.example}".`,
      'config',
    );
  }
  return { host: match[1]!, port };
}
