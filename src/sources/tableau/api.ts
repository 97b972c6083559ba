/**
 * Tableau REST API 3.x, JSON via `Accept: application/json`. Sign-in: `POST /api/{ver}/auth/signin` with
 * a personal access token (personalAccessTokenName / personalAccessTokenSecret) or name/password, and
 * the site's contentUrl (`siteUrl`; "" is the Default site) -> credentials.token, sent as
 * `X-Tableau-Auth`, and the site id used in every later path. A token expires (240 minutes by default):
 * a 401 signs in again. Workbooks are OpenMetadata dashboards and their views its charts:
 *   GET /api/{ver}/sites/{siteId}/workbooks?pageSize&pageNumber   (paged; pagination.totalAvailable)
 *   GET /api/{ver}/sites/{siteId}/workbooks/{id}                 (name, description)
 *   GET /api/{ver}/sites/{siteId}/workbooks/{id}/views
 * close() signs out (POST /auth/signout), so sessions do not pile up on the server.
 */
import { SourceError } from '../contract.js';
import { HttpJsonClient, type BaseClientOptions } from '../dashboard-common/http.js';
import { pageByNumber } from '../dashboard-common/paging.js';
import type { DashboardApi, DashboardDetails, DashboardSummary } from '../dashboard-common/source.js';
import type { TableauConnection } from '../../config/connections/tableau.js';

interface SignInAnswer {
  readonly credentials?: { readonly token?: string; readonly site?: { readonly id?: string } };
}

interface TableauWorkbook {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
}

interface WorkbookPage {
  readonly pagination?: { readonly totalAvailable?: string | number };
  readonly workbooks?: { readonly workbook?: readonly TableauWorkbook[] };
}

interface TableauView {
  readonly id: string;
  readonly name?: string;
}

export class TableauApi implements DashboardApi {
  private readonly client: HttpJsonClient;
  private siteId: string | undefined;
  private token: string | undefined;

  constructor(
    private readonly connection: TableauConnection,
    options: { readonly client: BaseClientOptions },
  ) {
    const auth = connection.authType;
    const credentials =
      'personalAccessTokenName' in auth
        ? {
            personalAccessTokenName: auth.personalAccessTokenName,
            personalAccessTokenSecret: auth.personalAccessTokenSecret,
          }
        : { name: auth.username, password: auth.password };
    const how = 'personalAccessTokenName' in auth ? 'the personal access token' : 'the username and password';
    const fields =
      'personalAccessTokenName' in auth
        ? 'authType.personalAccessTokenName and authType.personalAccessTokenSecret'
        : 'authType.username and authType.password';
    this.client = new HttpJsonClient({
      ...options.client,
      vendor: 'Tableau',
      baseUrl: `${connection.hostPort.replace(/\/+$/, '')}/api/${connection.apiVersion}`,
      secrets: ['password' in auth ? auth.password : auth.personalAccessTokenSecret],
      login: async (client) => {
        const answer = await client.send('POST', '/auth/signin', {
          json: { credentials: { ...credentials, site: { contentUrl: connection.siteUrl ?? '' } } },
        });
        const signedIn = (answer.body as SignInAnswer | undefined)?.credentials;
        if (answer.status === 200 && signedIn?.token && signedIn.site?.id) {
          this.siteId = signedIn.site.id;
          this.token = signedIn.token;
          return { 'X-Tableau-Auth': signedIn.token };
        }
        if (answer.status === 401 || answer.status === 400) {
          throw new SourceError(
            `Tableau refused ${how} for site "${connection.siteUrl ?? ''}" (POST /auth/signin answered ` +
              `${answer.status}); check ${fields} and siteUrl (the site's contentUrl, "" for Default)`,
            'auth',
          );
        }
        if (answer.status === 404) {
          throw new SourceError(
            `Tableau has no REST API ${connection.apiVersion} at ${connection.hostPort} (sign-in answered 404); ` +
              'check hostPort and apiVersion',
            'config',
          );
        }
        throw new SourceError(
          `Tableau sign-in failed (${answer.status}` + `${client.vendorSuffix(answer.body)})`,
          'auth',
        );
      },
    });
  }

  connect(): Promise<void> {
    return this.client.connect();
  }

  async *list(): AsyncIterable<DashboardSummary> {
    await this.client.connect();
    const workbooks = pageByNumber(1, this.connection.paginationLimit, async (pageNumber, pageSize) => {
      const page = await this.client.get<WorkbookPage>(`/sites/${this.site()}/workbooks`, {
        query: { pageSize, pageNumber, sort: 'name:asc', fields: 'id,name' },
      });
      const total = Number(page.pagination?.totalAvailable);
      return { items: page.workbooks?.workbook ?? [], total: Number.isFinite(total) ? total : undefined };
    });
    for await (const wb of workbooks) yield { id: wb.id, title: wb.name ?? '' };
  }

  async details(summary: DashboardSummary): Promise<DashboardDetails> {
    await this.client.connect();
    const base = `/sites/${this.site()}/workbooks/${encodeURIComponent(summary.id)}`;
    const { workbook } = await this.client.get<{ workbook?: TableauWorkbook }>(base);
    const views = await this.client.get<{ views?: { view?: readonly TableauView[] } }>(`${base}/views`);
    return {
      id: summary.id,
      title: workbook?.name ?? summary.title,
      description: workbook?.description,
      charts: (views.views?.view ?? []).map((v) => ({ id: v.id, title: v.name ?? '', chartType: 'Other' as const })),
    };
  }

  serviceConnection(): Record<string, unknown> {
    const c = this.connection;
    // authType (the credentials) is optional in OpenMetadata 1.0.4, so it is left out entirely.
    const out: Record<string, unknown> = {
      type: 'Tableau',
      hostPort: c.hostPort,
      apiVersion: c.apiVersion,
      env: c.env,
    };
    if (c.siteName !== undefined) out.siteName = c.siteName;
    if (c.siteUrl !== undefined) out.siteUrl = c.siteUrl;
    return out;
  }

  async close(): Promise<void> {
    const token = this.token;
    if (!token) return;
    this.token = undefined;
    // Best effort: an expired token or a gone server is no reason to fail the run.
    await this.client
      .send('POST', '/auth/signout', { headers: { 'X-Tableau-Auth': token }, attempts: 1 })
      .catch(() => undefined);
  }

  private site(): string {
    if (!this.siteId) throw new SourceError('Tableau: not signed in', 'other');
    return encodeURIComponent(this.siteId);
  }
}
