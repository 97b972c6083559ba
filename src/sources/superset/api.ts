/**
 * Apache Superset REST API. Sign-in: `POST /api/v1/security/login` with {username, password, provider}
 * -> `access_token`, sent as `Authorization: Bearer` (a JWT that expires, 15 minutes by default: a 401
 * signs in again). Only GETs are sent, which need no CSRF token. Listing (rison-encoded `q`, pages from 0):
 *   GET /api/v1/dashboard/?q=(columns:!(id,dashboard_title),order_column:dashboard_title,order_direction:asc,page:N,page_size:M)
 *   -> { count, result: [{id, dashboard_title}] }
 * One dashboard's charts: `GET /api/v1/dashboard/{id}/charts` -> { result: [{id, slice_name, viz_type, ...}] }.
 */
import { SourceError } from '../contract.js';
import { HttpJsonClient, type BaseClientOptions } from '../dashboard-common/http.js';
import { pageByNumber } from '../dashboard-common/paging.js';
import { SECRET_MASK, chartTypeOf } from '../dashboard-common/requests.js';
import type { DashboardApi, DashboardDetails, DashboardSummary } from '../dashboard-common/source.js';
import type { SupersetConnection } from '../../config/connections/superset.js';

interface SupersetList<T> {
  readonly count?: number;
  readonly result?: readonly T[];
}

interface SupersetDashboard {
  readonly id: number;
  readonly dashboard_title?: string | null;
}

interface SupersetChart {
  readonly id?: number | null;
  readonly slice_name?: string | null;
  readonly viz_type?: string | null;
  readonly description?: string | null;
  readonly form_data?: { readonly slice_id?: number; readonly viz_type?: string } | null;
}

export interface SupersetApiOptions {
  readonly client: BaseClientOptions;
  /** Dashboards per page. @default 100 */
  readonly pageSize?: number;
}

export class SupersetApi implements DashboardApi {
  private readonly client: HttpJsonClient;
  private readonly pageSize: number;

  constructor(
    private readonly connection: SupersetConnection,
    options: SupersetApiOptions,
  ) {
    this.pageSize = options.pageSize ?? 100;
    const { username, password, provider } = connection.connection;
    this.client = new HttpJsonClient({
      ...options.client,
      vendor: 'Superset',
      baseUrl: `${connection.hostPort.replace(/\/+$/, '')}/api/v1`,
      secrets: [password],
      login: async (client) => {
        const answer = await client.send('POST', '/security/login', {
          json: { username, password, provider, refresh: false },
        });
        const token = (answer.body as { access_token?: unknown } | undefined)?.access_token;
        if (answer.status === 200 && typeof token === 'string') return { Authorization: `Bearer ${token}` };
        if (answer.status === 400 || answer.status === 401) {
          throw new SourceError(
            `Superset refused the username and password (POST /api/v1/security/login answered ${answer.status}); ` +
              `check connection.username, connection.password and connection.provider ("${provider}")`,
            'auth',
          );
        }
        throw new SourceError(
          `Superset sign-in failed (${answer.status}` + `${client.vendorSuffix(answer.body)})`,
          'auth',
        );
      },
    });
  }

  connect(): Promise<void> {
    return this.client.connect();
  }

  async *list(): AsyncIterable<DashboardSummary> {
    const pages = pageByNumber(0, this.pageSize, async (page, pageSize) => {
      const q =
        `(columns:!(id,dashboard_title),order_column:dashboard_title,order_direction:asc,` +
        `page:${page},page_size:${pageSize})`;
      const answer = await this.client.get<SupersetList<SupersetDashboard>>('/dashboard/', { query: { q } });
      return { items: answer.result ?? [], total: answer.count };
    });
    for await (const d of pages) yield { id: String(d.id), title: d.dashboard_title ?? '' };
  }

  async details(summary: DashboardSummary): Promise<DashboardDetails> {
    const answer = await this.client.get<SupersetList<SupersetChart>>(
      `/dashboard/${encodeURIComponent(summary.id)}/charts`,
    );
    const charts = [];
    for (const chart of answer.result ?? []) {
      const id = chart.id ?? chart.form_data?.slice_id;
      if (id === null || id === undefined) continue;
      charts.push({
        id: String(id),
        title: chart.slice_name ?? '',
        description: chart.description ?? undefined,
        chartType: chartTypeOf(chart.viz_type ?? chart.form_data?.viz_type),
      });
    }
    return { id: summary.id, title: summary.title, charts };
  }

  serviceConnection(): Record<string, unknown> {
    const c = this.connection;
    return {
      type: 'Superset',
      hostPort: c.hostPort,
      connection: { provider: c.connection.provider, username: c.connection.username, password: SECRET_MASK },
    };
  }
}
