/**
 * Metabase REST API. Sign-in: `POST /api/session` with {username, password} -> `{id}`, sent as
 * `X-Metabase-Session` (sessions expire, 14 days by default: a 401 signs in again); or an API key, sent
 * as `X-API-KEY` with no sign-in call. Listing: `GET /api/dashboard` (every dashboard in one answer;
 * Metabase documents no paging for it; archived ones are skipped). One dashboard: `GET /api/dashboard/{id}`,
 * whose `dashcards` (`ordered_cards` before Metabase 0.47) hold the cards (questions) that become charts;
 * text and heading cards have no card id and are skipped.
 */
import { SourceError } from '../contract.js';
import { HttpJsonClient, type BaseClientOptions } from '../dashboard-common/http.js';
import { SECRET_MASK, chartTypeOf, type ChartInfo } from '../dashboard-common/requests.js';
import type { DashboardApi, DashboardDetails, DashboardSummary } from '../dashboard-common/source.js';
import type { MetabaseConnection } from '../../config/connections/metabase.js';

interface MetabaseCard {
  readonly id?: number | null;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly display?: string | null;
}

interface MetabaseDashcard {
  readonly card_id?: number | null;
  readonly card?: MetabaseCard | null;
}

interface MetabaseDashboard {
  readonly id: number | string;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly archived?: boolean;
  readonly dashcards?: readonly MetabaseDashcard[] | null;
  readonly ordered_cards?: readonly MetabaseDashcard[] | null;
}

export class MetabaseApi implements DashboardApi {
  private readonly client: HttpJsonClient;

  constructor(
    private readonly connection: MetabaseConnection,
    options: { readonly client: BaseClientOptions },
  ) {
    const { apiKey, username, password } = connection;
    this.client = new HttpJsonClient({
      ...options.client,
      vendor: 'Metabase',
      baseUrl: `${connection.hostPort.replace(/\/+$/, '')}/api`,
      secrets: [apiKey, password],
      login:
        apiKey !== undefined
          ? async () => ({ 'X-API-KEY': apiKey })
          : async (client) => {
              const answer = await client.send('POST', '/session', { json: { username, password } });
              const id = (answer.body as { id?: unknown } | undefined)?.id;
              if (answer.status === 200 && typeof id === 'string') return { 'X-Metabase-Session': id };
              if (answer.status === 400 || answer.status === 401) {
                throw new SourceError(
                  `Metabase refused the username and password (POST /api/session answered ${answer.status}); ` +
                    'check username and password, or use apiKey',
                  'auth',
                );
              }
              throw new SourceError(
                `Metabase sign-in failed (${answer.status}` + `${client.vendorSuffix(answer.body)})`,
                'auth',
              );
            },
    });
  }

  async connect(): Promise<void> {
    if (this.connection.apiKey === undefined) return this.client.connect();
    // An API key needs no sign-in; ask who we are to check it.
    try {
      await this.client.get('/user/current');
    } catch (error) {
      if (error instanceof SourceError && error.reason === 'auth') {
        throw new SourceError(
          'Metabase refused the API key (GET /api/user/current answered 401); check apiKey',
          'auth',
        );
      }
      throw error;
    }
  }

  async *list(): AsyncIterable<DashboardSummary> {
    const dashboards = await this.client.get<readonly MetabaseDashboard[]>('/dashboard');
    const live = dashboards.filter((d) => !d.archived);
    // Sorted by id: the answer's order is not documented, and discovery must be deterministic.
    live.sort((a, b) => Number(a.id) - Number(b.id) || String(a.id).localeCompare(String(b.id)));
    for (const d of live) yield { id: String(d.id), title: d.name ?? '' };
  }

  async details(summary: DashboardSummary): Promise<DashboardDetails> {
    const dashboard = await this.client.get<MetabaseDashboard>(`/dashboard/${encodeURIComponent(summary.id)}`);
    const charts: ChartInfo[] = [];
    for (const dashcard of dashboard.dashcards ?? dashboard.ordered_cards ?? []) {
      const card = dashcard.card;
      const id = dashcard.card_id ?? card?.id;
      if (id === null || id === undefined) continue;
      charts.push({
        id: String(id),
        title: card?.name ?? '',
        description: card?.description ?? undefined,
        chartType: chartTypeOf(card?.display),
      });
    }
    return {
      id: summary.id,
      title: dashboard.name ?? summary.title,
      description: dashboard.description ?? undefined,
      charts,
    };
  }

  serviceConnection(): Record<string, unknown> {
    const c = this.connection;
    // 1.0.4 requires username; an API-key config has none, and "" keeps the body valid without inventing one.
    const out: Record<string, unknown> = { type: 'Metabase', hostPort: c.hostPort, username: c.username ?? '' };
    if (c.password !== undefined) out.password = SECRET_MASK;
    return out;
  }
}
