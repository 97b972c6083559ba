/**
 * Connectors take the `source` section and a SourceContext, never the whole config; tests that hold a
 * parsed config call them through this adapter, as the connector registry does.
 */
import type { IngestionConfig, SourceConfig } from '../../src/config/schema.js';
import type { SourceContext, SourceOptions } from '../../src/sources/contract.js';

export function fromConfig<H extends unknown[], R>(
  create: (source: SourceConfig, context: SourceContext, ...hooks: H) => R,
): (config: IngestionConfig, options: SourceOptions, ...hooks: H) => R {
  return (config, options, ...hooks) =>
    create(
      config.source,
      { ...options, retryPolicy: config.workflowConfig.distributedExecution.retryPolicy },
      ...hooks,
    );
}
