import { ConfigError } from './errors.js';
import type { IngestionConfig } from './schema.js';

/** Longest pipeline name: leaves room for suffixes within the 52-character CronWorkflow limit. */
export const MAX_PIPELINE_NAME = 45;

/**
 * The pipeline's resource name: `distributedExecution.name`, or `source.serviceName` lower-cased with
 * every run of other characters turned into `-` (`warehouse_pg` -> `warehouse-pg`).
 */
export function pipelineName(config: IngestionConfig, file = '<config>'): string {
  const explicit = config.workflowConfig.distributedExecution.name;
  if (explicit) return explicit;
  const derived = config.source.serviceName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (derived.length === 0 || derived.length > MAX_PIPELINE_NAME) {
    throw new ConfigError(file, [
      {
        path: 'source.serviceName',
        message:
          `cannot derive a Kubernetes name from "${config.source.serviceName}" ` +
          `(${derived.length === 0 ? 'no letters or digits' : `longer than ${MAX_PIPELINE_NAME} characters`}); ` +
          'set workflowConfig.distributedExecution.name',
      },
    ]);
  }
  return derived;
}

/** The Secret that holds a pipeline's variables unless the config maps them elsewhere. */
export function credentialsSecretName(pipeline: string): string {
  return `${pipeline}-credentials`;
}
