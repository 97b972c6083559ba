/** One problem in a config file, located by YAML path and (where known) line. */
export interface ConfigIssue {
  /** Dot-joined YAML path, e.g. `workflowConfig.distributedExecution.parallelism`; '' for the document. */
  readonly path: string;
  /** 1-based line in the file, when the path exists in the document. */
  readonly line?: number;
  readonly message: string;
}

/** A config that cannot be used. `message` lists one line per problem, each naming file, line and path. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(issues.map((issue) => formatIssue(file, issue)).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatIssue(file: string, issue: ConfigIssue): string {
  const where = issue.line !== undefined ? `${file}:${issue.line}` : file;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}
