/**
 * A fake Azure AD token endpoint plus Power BI REST API on one server. Token: POST
 * /{tenant}/oauth2/v2.0/token (form, client_credentials; a wrong secret -> 401 invalid_client).
 * API under /v1.0/myorg: admin/groups ($top required, $skip), admin/groups/{id}/dashboards ($top/$skip),
 * admin/dashboards/{id}/tiles; and the member variants groups, groups/{id}/dashboards,
 * groups/{id}/dashboards/{id}/tiles. Expired token -> 401 TokenExpired.
 */
import { intParam, startFakeServer, type FakeDashboard, type Incoming, type VendorServer } from './fake-server.js';

export interface FakePowerbiOptions {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Dashboards; `workspace` names their workspace (default "ws-1"). */
  readonly dashboards: FakeDashboard[];
}

export interface FakePowerbi extends VendorServer {
  /** The scopes of the token requests seen. */
  readonly scopes: string[];
}

export async function startFakePowerbi(options: FakePowerbiOptions): Promise<FakePowerbi> {
  const scopes: string[] = [];
  const workspaceOf = (d: FakeDashboard) => d.workspace ?? 'ws-1';
  const workspaces = () => [...new Set(options.dashboards.map(workspaceOf))].sort();
  const paged = <T>(items: readonly T[], query: URLSearchParams, required: boolean) => {
    if (required && query.get('$top') === null)
      return { status: 400, body: { error: { code: 'InvalidRequest', message: '$top is required' } } };
    const skip = intParam(query, '$skip', 0);
    const top = intParam(query, '$top', 5000);
    return { body: { '@odata.context': 'http://fake/$metadata', value: items.slice(skip, skip + top) } };
  };
  const dashboardsIn = (ws: string) =>
    options.dashboards
      .filter((d) => workspaceOf(d) === ws)
      .map((d) => ({ id: String(d.id), displayName: d.title, isReadOnly: false }));
  const tiles = (id: string) => {
    const d = options.dashboards.find((x) => String(x.id) === id);
    if (!d) return { status: 404, body: { error: { code: 'ItemNotFound', message: `Dashboard ${id} not found` } } };
    return { body: { value: d.charts.map((c) => ({ id: String(c.id), title: c.title, rowSpan: 1, colSpan: 1 })) } };
  };
  const ws = (r: Incoming) => decodeURIComponent(r.match[1]!);
  const server = await startFakeServer({
    tokenOf: (r) => /^Bearer (.+)$/.exec(r.headers.authorization ?? '')?.[1],
    unauthorized: {
      status: 401,
      body: { error: { code: 'TokenExpired', message: 'Access token has expired, resubmit with a new access token' } },
    },
    routes: [
      {
        method: 'POST',
        path: /^\/([^/]+)\/oauth2\/v2\.0\/token$/,
        login: true,
        handle: ({ body, match }) => {
          const form = (body ?? {}) as Record<string, string>;
          scopes.push(form.scope ?? '');
          if (match[1] !== options.tenantId) {
            return {
              status: 400,
              body: { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${match[1]}' not found.` },
            };
          }
          if (
            form.grant_type !== 'client_credentials' ||
            form.client_id !== options.clientId ||
            form.client_secret !== options.clientSecret
          ) {
            return {
              status: 401,
              body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' },
            };
          }
          return {
            body: {
              token_type: 'Bearer',
              expires_in: 3599,
              ext_expires_in: 3599,
              access_token: server.issueToken('aad'),
            },
          };
        },
      },
      {
        method: 'GET',
        path: /^\/v1\.0\/myorg\/admin\/groups$/,
        handle: ({ query }) =>
          paged(
            workspaces().map((id) => ({ id, name: `Workspace ${id}`, type: 'Workspace' })),
            query,
            true,
          ),
      },
      {
        method: 'GET',
        path: /^\/v1\.0\/myorg\/admin\/groups\/([^/]+)\/dashboards$/,
        handle: (r) => paged(dashboardsIn(ws(r)), r.query, false),
      },
      {
        method: 'GET',
        path: /^\/v1\.0\/myorg\/admin\/dashboards\/([^/]+)\/tiles$/,
        handle: (r) => tiles(decodeURIComponent(r.match[1]!)),
      },
      {
        method: 'GET',
        path: /^\/v1\.0\/myorg\/groups$/,
        handle: ({ query }) =>
          paged(
            workspaces().map((id) => ({ id, name: `Workspace ${id}` })),
            query,
            false,
          ),
      },
      {
        method: 'GET',
        path: /^\/v1\.0\/myorg\/groups\/([^/]+)\/dashboards$/,
        handle: (r) => ({ body: { value: dashboardsIn(ws(r)) } }),
      },
      {
        method: 'GET',
        path: /^\/v1\.0\/myorg\/groups\/([^/]+)\/dashboards\/([^/]+)\/tiles$/,
        handle: (r) => tiles(decodeURIComponent(r.match[2]!)),
      },
    ],
  });
  return Object.assign(server, { scopes });
}
