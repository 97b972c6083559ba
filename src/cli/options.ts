/**
 * Option parsers shared by several commands. They throw commander's InvalidArgumentError, so a bad value
 * is reported as `option '...' argument '...' is invalid. <why>` with exit code 2, before any work.
 */
import { InvalidArgumentError } from 'commander';
import { DNS1123_LABEL } from '../config/distributed.js';

/** `--namespace NS`: a DNS-1123 label of at most 63 characters, as Kubernetes requires. */
export function parseNamespace(value: string): string {
  if (value.length > 63 || !DNS1123_LABEL.test(value)) {
    throw new InvalidArgumentError(
      'A Kubernetes namespace is at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit',
    );
  }
  return value;
}
