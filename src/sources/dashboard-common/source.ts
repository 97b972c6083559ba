/**
 * The DiscoverableSource shared by every dashboard connector. A connector supplies a DashboardApi (how
 * to sign in, list dashboards, fetch one dashboard with its charts); this class adds the contract:
 *
 * - discover(): the API's paged listing, ids and titles only, after dashboardFilterPattern (matched on
 *   the title, as OpenMetadata does), as entities named by the vendor's id;
 * - parents(): the dashboardService, its connection config without secrets;
 * - process(batch): each dashboard's details and charts, at most `concurrency` at once, as chart
 *   requests (after chartFilterPattern) followed by the dashboard request that links them by FQN, so
 *   the charts exist before the dashboard that names them.
 */
import type { SourceConfig } from '../../config/schema.js';
import type { RetryPolicyLike } from '../../util/retry.js';
import { buildFqn } from '../../model/fqn.js';
import { compileFilter } from '../common/filters.js';
import {
  SourceError,
  type DiscoverableSource,
  type EntityDescriptor,
  type EntityOutcome,
  type SourceContext,
  type SourceOptions,
  type UpsertRequest,
} from '../contract.js';
import { HttpStatusError } from './http.js';
import { mapBounded } from './limiter.js';
import {
  chartFqn,
  chartRequest,
  dashboardRequest,
  dashboardServiceRequest,
  type ChartInfo,
  type DashboardInfo,
} from './requests.js';

/** Light data kept from the listing: what process() needs to fetch the dashboard again. */
export type DashboardMeta = Readonly<Record<string, string | number | boolean | null>>;

export interface DashboardSummary {
  readonly id: string;
  readonly title: string;
  /** Extra keys to find the dashboard again (Power BI's workspace id, ...). */
  readonly meta?: DashboardMeta;
}

export interface DashboardDetails extends DashboardInfo {
  readonly charts: readonly ChartInfo[];
}

/** What each vendor implements. */
export interface DashboardApi {
  /** Signs in; throws SourceError('auth') with one sentence when the credentials are refused. */
  connect(): Promise<void>;
  /** Every dashboard, ids and titles only, in a stable order. */
  list(): AsyncIterable<DashboardSummary>;
  /** One dashboard with its charts; HttpStatusError 404 when it is gone. */
  details(summary: DashboardSummary): Promise<DashboardDetails>;
  /** serviceConnection.config as OpenMetadata 1.0.4 validates it, with no secret in it. */
  serviceConnection(): Record<string, unknown>;
  close?(): Promise<void>;
}

/** Test and embedding hooks of the dashboard factories; the CLI uses the defaults. */
export interface DashboardDeps {
  /** @default SourceOptions.retryPolicy (the config's workflowConfig.distributedExecution.retryPolicy) */
  readonly retryPolicy?: RetryPolicyLike;
  /** @default setTimeout-based sleep */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Connection keys every dashboard connector accepts besides OpenMetadata's. */
export interface ConcurrencySetting {
  /** Requests in flight to the vendor per source. @default SourceOptions.concurrency */
  readonly maxConcurrentRequests?: number;
}

/** The request concurrency of a source: the connection's `maxConcurrentRequests`, else the runtime's. */
export function concurrencyOf(connection: ConcurrencySetting, options: SourceOptions): number {
  return Math.max(1, connection.maxConcurrentRequests ?? options.concurrency);
}

/** The retry policy of a source's HTTP client. */
export function retryPolicyFor(context: SourceContext, deps: DashboardDeps): RetryPolicyLike {
  return deps.retryPolicy ?? context.retryPolicy;
}

export class DashboardSource implements DiscoverableSource {
  readonly type: string;
  private readonly service: string;
  private readonly serviceType: string;
  private readonly keepDashboard: (name: string) => boolean;
  private readonly keepChart: (name: string) => boolean;
  private closed = false;

  constructor(
    source: SourceConfig,
    serviceType: string,
    private readonly api: DashboardApi,
    private readonly options: SourceOptions & { readonly concurrency: number },
  ) {
    this.type = source.type;
    this.service = source.serviceName;
    this.serviceType = serviceType;
    const filters = source.sourceConfig.config;
    if (filters.type !== 'DashboardMetadata') {
      throw new SourceError(`source ${source.type} needs sourceConfig.config.type: DashboardMetadata`, 'config');
    }
    this.keepDashboard = compileFilter(filters.dashboardFilterPattern);
    this.keepChart = compileFilter(filters.chartFilterPattern);
  }

  async testConnection(): Promise<void> {
    await this.api.connect();
  }

  async *parents(): AsyncIterable<UpsertRequest> {
    yield dashboardServiceRequest(this.service, this.serviceType, this.api.serviceConnection());
  }

  async *discover(): AsyncIterable<EntityDescriptor> {
    for await (const summary of this.api.list()) {
      if (!this.keepDashboard(summary.title || summary.id)) continue;
      yield {
        fqn: buildFqn(this.service, summary.id),
        type: 'dashboard',
        meta: { ...summary.meta, id: summary.id, title: summary.title },
      };
    }
  }

  async process(batch: readonly EntityDescriptor[]): Promise<EntityOutcome[]> {
    return mapBounded(batch, this.options.concurrency, (entity) => this.processOne(entity));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.api.close?.();
  }

  private async processOne(entity: EntityDescriptor): Promise<EntityOutcome> {
    const { id, title, ...meta } = entity.meta ?? {};
    if (typeof id !== 'string') {
      return { fqn: entity.fqn, ok: false, error: 'the descriptor has no dashboard id', retryable: false };
    }
    let details: DashboardDetails;
    try {
      details = await this.api.details({ id, title: typeof title === 'string' ? title : id, meta });
    } catch (error) {
      // Credentials refused or vendor unreachable: the whole batch cannot run (the pod is retried).
      // A 403 on one dashboard (a restricted folder) is that dashboard's failure only.
      if (error instanceof SourceError && FATAL_REASONS.has(error.reason)) throw error;
      const gone = error instanceof HttpStatusError && error.status === 404;
      return {
        fqn: entity.fqn,
        ok: false,
        error: gone ? `the dashboard no longer exists (${error.message})` : (error as Error).message,
        // The HTTP client has already spent the retryPolicy on transient faults.
        retryable: false,
      };
    }
    const charts = uniqueById(details.charts).filter((c) => this.keepChart(c.title || c.id));
    const requests = charts.map((chart) => chartRequest(this.service, chart));
    requests.push(
      dashboardRequest(
        this.service,
        { ...details, id },
        charts.map((c) => chartFqn(this.service, c.id)),
      ),
    );
    return { fqn: entity.fqn, ok: true, requests };
  }
}

const FATAL_REASONS: ReadonlySet<SourceError['reason']> = new Set(['auth', 'unreachable', 'config']);

/** A chart placed twice on one dashboard is one chart. */
function uniqueById(charts: readonly ChartInfo[]): ChartInfo[] {
  const seen = new Set<string>();
  return charts.filter((c) => !seen.has(c.id) && seen.add(c.id));
}
