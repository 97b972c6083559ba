/**
 * Power BI REST API. Sign-in: Azure AD client credentials, `POST <authorityURI><tenantId>/oauth2/v2.0/token`
 * (grant_type=client_credentials, client_id, client_secret, scope) -> `access_token`, sent as
 * `Authorization: Bearer`; tokens last about an hour, and a 401 asks for a new one.
 *
 * With `useAdminApis` (the OpenMetadata default; needs Tenant.Read.All for the app):
 *   GET /v1.0/myorg/admin/groups?$top&$skip            (workspaces, paged)
 *   GET /v1.0/myorg/admin/groups/{id}/dashboards?$top&$skip
 *   GET /v1.0/myorg/admin/dashboards/{id}/tiles
 * Without (only workspaces the service principal is a member of):
 *   GET /v1.0/myorg/groups?$top&$skip
 *   GET /v1.0/myorg/groups/{id}/dashboards
 *   GET /v1.0/myorg/groups/{id}/dashboards/{dashboardId}/tiles
 * Lists answer `{ value: [...] }`. Tiles become charts.
 */
import { SourceError } from '../contract.js';
import { HttpJsonClient, type BaseClientOptions } from '../dashboard-common/http.js';
import { pageByOffset } from '../dashboard-common/paging.js';
import { SECRET_MASK } from '../dashboard-common/requests.js';
import type { DashboardApi, DashboardDetails, DashboardSummary } from '../dashboard-common/source.js';
import type { PowerbiConnection } from '../../config/connections/powerbi.js';

interface ODataList<T> {
  readonly value?: readonly T[];
}

interface PbiGroup {
  readonly id: string;
  readonly name?: string;
}

interface PbiDashboard {
  readonly id: string;
  readonly displayName?: string | null;
}

interface PbiTile {
  readonly id: string;
  readonly title?: string | null;
  readonly subTitle?: string | null;
}

export class PowerbiApi implements DashboardApi {
  private readonly client: HttpJsonClient;
  private readonly pageSize: number;
  private readonly admin: boolean;

  constructor(
    private readonly connection: PowerbiConnection,
    options: { readonly client: BaseClientOptions },
  ) {
    this.pageSize = connection.pagination_entity_per_page;
    this.admin = connection.useAdminApis;
    const authority = connection.authorityURI.endsWith('/') ? connection.authorityURI : `${connection.authorityURI}/`;
    const tokenUrl = `${authority}${encodeURIComponent(connection.tenantId)}/oauth2/v2.0/token`;
    this.client = new HttpJsonClient({
      ...options.client,
      vendor: 'Power BI',
      baseUrl: `${connection.apiUrl.replace(/\/+$/, '')}/v1.0/myorg`,
      secrets: [connection.clientSecret],
      login: async (client) => {
        const answer = await client.send('POST', tokenUrl, {
          form: {
            grant_type: 'client_credentials',
            client_id: connection.clientId,
            client_secret: connection.clientSecret,
            scope: connection.scope.join(' '),
          },
        });
        const token = (answer.body as { access_token?: unknown } | undefined)?.access_token;
        if (answer.status === 200 && typeof token === 'string') return { Authorization: `Bearer ${token}` };
        const error = (answer.body as { error?: unknown } | undefined)?.error;
        // Azure AD answers a wrong secret / unknown app with 400 or 401 and error=invalid_client.
        if (answer.status === 400 || answer.status === 401) {
          throw new SourceError(
            `Azure AD refused the Power BI app's credentials (token endpoint answered ${answer.status}` +
              `${typeof error === 'string' ? ` ${error}` : ''}); check tenantId, clientId and clientSecret, ` +
              'and that authorityURI points to your Azure AD',
            'auth',
          );
        }
        throw new SourceError(
          `Azure AD token request failed (${answer.status}` + `${client.vendorSuffix(answer.body)})`,
          'auth',
        );
      },
    });
  }

  connect(): Promise<void> {
    return this.client.connect();
  }

  async *list(): AsyncIterable<DashboardSummary> {
    const prefix = this.admin ? '/admin' : '';
    const groups = pageByOffset(this.pageSize, async (skip, top) => ({
      items:
        (await this.client.get<ODataList<PbiGroup>>(`${prefix}/groups`, { query: { $top: top, $skip: skip } })).value ??
        [],
    }));
    for await (const group of groups) {
      const path = `${prefix}/groups/${encodeURIComponent(group.id)}/dashboards`;
      // Only the admin variant documents $top/$skip; the member variant answers every dashboard at once.
      const dashboards = this.admin
        ? pageByOffset(this.pageSize, async (skip, top) => ({
            items:
              (await this.client.get<ODataList<PbiDashboard>>(path, { query: { $top: top, $skip: skip } })).value ?? [],
          }))
        : ((await this.client.get<ODataList<PbiDashboard>>(path)).value ?? []);
      for await (const d of dashboards) {
        yield { id: d.id, title: d.displayName ?? '', meta: { workspaceId: group.id } };
      }
    }
  }

  async details(summary: DashboardSummary): Promise<DashboardDetails> {
    const workspace = String(summary.meta?.workspaceId ?? '');
    const path = this.admin
      ? `/admin/dashboards/${encodeURIComponent(summary.id)}/tiles`
      : `/groups/${encodeURIComponent(workspace)}/dashboards/${encodeURIComponent(summary.id)}/tiles`;
    const tiles = (await this.client.get<ODataList<PbiTile>>(path)).value ?? [];
    return {
      id: summary.id,
      title: summary.title,
      charts: tiles.map((t) => ({ id: t.id, title: t.title || t.subTitle || '', chartType: 'Other' as const })),
    };
  }

  serviceConnection(): Record<string, unknown> {
    const c = this.connection;
    return {
      type: 'PowerBI',
      clientId: c.clientId,
      clientSecret: SECRET_MASK,
      tenantId: c.tenantId,
      authorityURI: c.authorityURI,
      hostPort: c.hostPort,
      scope: [...c.scope],
      pagination_entity_per_page: c.pagination_entity_per_page,
      useAdminApis: c.useAdminApis,
    };
  }
}
