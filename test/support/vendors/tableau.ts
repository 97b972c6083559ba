/**
 * A fake Tableau Server REST API 3.x speaking JSON: POST /api/{ver}/auth/signin (PAT or name/password,
 * site contentUrl -> credentials.token + site.id; wrong credentials -> 401 code 401001), `X-Tableau-Auth`,
 * GET sites/{siteId}/workbooks (pageSize, pageNumber, pagination.totalAvailable), GET
 * sites/{siteId}/workbooks/{id}, GET sites/{siteId}/workbooks/{id}/views, POST auth/signout. Expired
 * token -> 401 code 401002. Workbooks are the dashboards; their views the charts.
 */
import { intParam, startFakeServer, type FakeDashboard, type VendorServer } from './fake-server.js';

export interface FakeTableauOptions {
  /** Accepted personal access token, and/or username/password. */
  readonly pat?: { readonly name: string; readonly secret: string };
  readonly basic?: { readonly username: string; readonly password: string };
  /** The site's contentUrl ("" = Default). @default "" */
  readonly contentUrl?: string;
  readonly dashboards: FakeDashboard[];
}

export interface FakeTableau extends VendorServer {
  readonly siteId: string;
  readonly signOuts: number;
}

export async function startFakeTableau(options: FakeTableauOptions): Promise<FakeTableau> {
  const siteId = 'site-9f0c1d2e';
  const contentUrl = options.contentUrl ?? '';
  let signOuts = 0;
  const find = (id: string) => options.dashboards.find((d) => String(d.id) === decodeURIComponent(id));
  const notFound = {
    status: 404,
    body: { error: { summary: 'Resource Not Found', detail: 'Workbook not found', code: '404006' } },
  };
  const server = await startFakeServer({
    tokenOf: (r) => (typeof r.headers['x-tableau-auth'] === 'string' ? r.headers['x-tableau-auth'] : undefined),
    unauthorized: {
      status: 401,
      body: {
        error: {
          summary: 'Unauthorized Access',
          detail: 'Invalid authentication credentials were provided.',
          code: '401002',
        },
      },
    },
    routes: [
      {
        method: 'POST',
        path: /^\/api\/(\d+\.\d+)\/auth\/signin$/,
        login: true,
        handle: ({ body }) => {
          const c = ((body ?? {}) as { credentials?: Record<string, unknown> }).credentials ?? {};
          const site = (c.site as { contentUrl?: string } | undefined)?.contentUrl;
          const patOk =
            options.pat &&
            c.personalAccessTokenName === options.pat.name &&
            c.personalAccessTokenSecret === options.pat.secret;
          const basicOk = options.basic && c.name === options.basic.username && c.password === options.basic.password;
          if (!(patOk || basicOk) || site !== contentUrl) {
            return {
              status: 401,
              body: {
                error: { summary: 'Signin Error', detail: 'Error signing in to Tableau Server', code: '401001' },
              },
            };
          }
          return {
            body: {
              credentials: {
                token: server.issueToken('tableau'),
                site: { id: siteId, contentUrl },
                user: { id: 'user-1' },
              },
            },
          };
        },
      },
      {
        method: 'POST',
        path: /^\/api\/(\d+\.\d+)\/auth\/signout$/,
        handle: () => {
          signOuts++;
          return { status: 204 };
        },
      },
      {
        method: 'GET',
        path: /^\/api\/(\d+\.\d+)\/sites\/([^/]+)\/workbooks$/,
        handle: ({ match, query }) => {
          if (match[2] !== siteId) return notFound;
          const pageSize = intParam(query, 'pageSize', 100);
          const pageNumber = intParam(query, 'pageNumber', 1);
          const all = [...options.dashboards].sort((a, b) => a.title.localeCompare(b.title));
          const page = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
          return {
            body: {
              pagination: {
                pageNumber: String(pageNumber),
                pageSize: String(pageSize),
                totalAvailable: String(all.length),
              },
              workbooks: { workbook: page.map((d) => ({ id: String(d.id), name: d.title })) },
            },
          };
        },
      },
      {
        method: 'GET',
        path: /^\/api\/(\d+\.\d+)\/sites\/([^/]+)\/workbooks\/([^/]+)$/,
        handle: ({ match }) => {
          const d = find(match[3]!);
          if (match[2] !== siteId || !d) return notFound;
          return {
            body: {
              workbook: {
                id: String(d.id),
                name: d.title,
                description: d.description ?? '',
                project: { id: 'p1', name: 'Default' },
              },
            },
          };
        },
      },
      {
        method: 'GET',
        path: /^\/api\/(\d+\.\d+)\/sites\/([^/]+)\/workbooks\/([^/]+)\/views$/,
        handle: ({ match }) => {
          const d = find(match[3]!);
          if (match[2] !== siteId || !d) return notFound;
          return {
            body: {
              views: {
                view: d.charts.map((c) => ({ id: String(c.id), name: c.title, contentUrl: `wb/sheets/${c.id}` })),
              },
            },
          };
        },
      },
    ],
  });
  // A getter, not Object.assign (which would copy today's count once).
  return Object.defineProperties(server, {
    siteId: { value: siteId, enumerable: true },
    signOuts: { get: () => signOuts, enumerable: true },
  }) as unknown as FakeTableau;
}
