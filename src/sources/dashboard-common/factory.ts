/**
 * Glue shared by the dashboard connectors' `createSource`: the HTTP client options and the source's
 * request concurrency from the config, the runtime options and the test hooks.
 */
import type { SourceContext } from '../contract.js';
import type { BaseClientOptions } from './http.js';
import { concurrencyOf, retryPolicyFor, type ConcurrencySetting, type DashboardDeps } from './source.js';

/** Test hooks of a dashboard factory. */
export interface DashboardFactoryDeps extends DashboardDeps {
  /** Items per page of list calls, where the connection has no page-size key. @default 100 */
  readonly pageSize?: number;
  /** Time allowed for one request. @default 60000 */
  readonly timeoutMs?: number;
}

export interface FactoryParts {
  readonly concurrency: number;
  readonly client: BaseClientOptions;
}

export function factoryParts(
  connection: ConcurrencySetting,
  options: SourceContext,
  deps: DashboardFactoryDeps,
): FactoryParts {
  const concurrency = concurrencyOf(connection, options);
  return {
    concurrency,
    client: {
      retryPolicy: retryPolicyFor(options, deps),
      concurrency,
      logger: options.logger,
      signal: options.signal,
      sleep: deps.sleep,
      timeoutMs: deps.timeoutMs,
    },
  };
}
