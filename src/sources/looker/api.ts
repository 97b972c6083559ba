/**
 * Looker API 4.0. Sign-in: `POST /api/4.0/login` with the API key as a form (client_id, client_secret)
 * -> `access_token`, sent as `Authorization: token <access_token>` (it expires after an hour: a 401
 * signs in again). Listing: `GET /dashboards/search?fields=id,title&limit&offset&sorts=id`. One
 * dashboard: `GET /dashboards/{id}?fields=...` whose `dashboard_elements` (tiles) become charts.
 */
import { SourceError } from '../contract.js';
import { HttpJsonClient, type BaseClientOptions } from '../dashboard-common/http.js';
import { mapAsync, pageByOffset } from '../dashboard-common/paging.js';
import { SECRET_MASK, chartTypeOf, type ChartInfo } from '../dashboard-common/requests.js';
import type { DashboardApi, DashboardDetails, DashboardSummary } from '../dashboard-common/source.js';
import type { LookerConnection } from '../../config/connections/looker.js';

export interface LookerApiOptions {
  readonly client: BaseClientOptions;
  /** Dashboards per search page. @default 100 */
  readonly pageSize?: number;
}

interface LookerElement {
  readonly id?: string | number | null;
  readonly title?: string | null;
  readonly title_text?: string | null;
  readonly type?: string | null;
  readonly look?: { readonly title?: string | null; readonly query?: LookerQuery | null } | null;
  readonly query?: LookerQuery | null;
  readonly result_maker?: { readonly vis_config?: { readonly type?: string } | null } | null;
}

interface LookerQuery {
  readonly vis_config?: { readonly type?: string } | null;
}

interface LookerDashboard {
  readonly id: string | number;
  readonly title?: string | null;
  readonly description?: string | null;
  readonly dashboard_elements?: readonly LookerElement[] | null;
}

export class LookerApi implements DashboardApi {
  private readonly client: HttpJsonClient;
  private readonly pageSize: number;

  constructor(
    private readonly connection: LookerConnection,
    options: LookerApiOptions,
  ) {
    this.pageSize = options.pageSize ?? 100;
    this.client = new HttpJsonClient({
      ...options.client,
      vendor: 'Looker',
      baseUrl: `${connection.hostPort.replace(/\/+$/, '')}/api/4.0`,
      secrets: [connection.clientSecret],
      login: async (client) => {
        const answer = await client.send('POST', '/login', {
          form: { client_id: connection.clientId, client_secret: connection.clientSecret },
        });
        const token = (answer.body as { access_token?: unknown } | undefined)?.access_token;
        if (answer.status === 200 && typeof token === 'string') return { Authorization: `token ${token}` };
        // Looker answers a wrong API key with 404 (as if /login did not exist) or 401/403.
        if ([400, 401, 403, 404].includes(answer.status)) {
          throw new SourceError(
            `Looker refused the API key (POST /api/4.0/login answered ${answer.status}); check clientId and ` +
              'clientSecret: an API key of a Looker user (Admin > Users > Edit keys)',
            'auth',
          );
        }
        throw new SourceError(
          `Looker sign-in failed (POST /api/4.0/login answered ${answer.status}` +
            `${client.vendorSuffix(answer.body)})`,
          'auth',
        );
      },
    });
  }

  connect(): Promise<void> {
    return this.client.connect();
  }

  list(): AsyncIterable<DashboardSummary> {
    return mapAsync(
      pageByOffset(this.pageSize, async (offset, limit) => ({
        items: await this.client.get<readonly LookerDashboard[]>('/dashboards/search', {
          query: { fields: 'id,title', limit, offset, sorts: 'id' },
        }),
      })),
      (d) => ({ id: String(d.id), title: d.title ?? '' }),
    );
  }

  async details(summary: DashboardSummary): Promise<DashboardDetails> {
    const dashboard = await this.client.get<LookerDashboard>(`/dashboards/${encodeURIComponent(summary.id)}`, {
      query: { fields: 'id,title,description,dashboard_elements' },
    });
    const charts: ChartInfo[] = [];
    for (const element of dashboard.dashboard_elements ?? []) {
      if (element.id === null || element.id === undefined) continue;
      const visType =
        element.result_maker?.vis_config?.type ??
        element.query?.vis_config?.type ??
        element.look?.query?.vis_config?.type;
      charts.push({
        id: String(element.id),
        title: element.title ?? element.title_text ?? element.look?.title ?? '',
        chartType: element.type === 'text' ? 'Text' : chartTypeOf(visType),
      });
    }
    return {
      id: summary.id,
      title: dashboard.title ?? summary.title,
      description: dashboard.description ?? undefined,
      charts,
    };
  }

  serviceConnection(): Record<string, unknown> {
    return {
      type: 'Looker',
      hostPort: this.connection.hostPort,
      clientId: this.connection.clientId,
      clientSecret: SECRET_MASK,
    };
  }
}
