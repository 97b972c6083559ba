/**
 * A fake Apache Superset REST API: POST /api/v1/security/login ({username, password, provider} ->
 * access_token; wrong -> 401 "Not authorized"), `Authorization: Bearer`, GET /api/v1/dashboard/?q=<rison>
 * (page from 0, page_size; {count, ids, result}), GET /api/v1/dashboard/{id}/charts. Expired token ->
 * 401 {"msg": "Token has expired"}.
 */
import { startFakeServer, type FakeDashboard, type VendorServer } from './fake-server.js';

export interface FakeSupersetOptions {
  readonly username: string;
  readonly password: string;
  readonly provider?: string;
  readonly dashboards: FakeDashboard[];
}

export async function startFakeSuperset(options: FakeSupersetOptions): Promise<VendorServer> {
  const server = await startFakeServer({
    tokenOf: (r) => /^Bearer (.+)$/.exec(r.headers.authorization ?? '')?.[1],
    unauthorized: { status: 401, body: { msg: 'Token has expired' } },
    routes: [
      {
        method: 'POST',
        path: /^\/api\/v1\/security\/login$/,
        login: true,
        handle: ({ body }) => {
          const b = (body ?? {}) as Record<string, string>;
          if (
            b.username !== options.username ||
            b.password !== options.password ||
            b.provider !== (options.provider ?? 'db')
          ) {
            return { status: 401, body: { message: 'Not authorized' } };
          }
          return { body: { access_token: server.issueToken('superset') } };
        },
      },
      {
        method: 'GET',
        path: /^\/api\/v1\/dashboard\/$/,
        handle: ({ query }) => {
          const q = query.get('q') ?? '';
          if (!/^\(.*\)$/.test(q)) return { status: 400, body: { message: 'Not a valid rison argument' } };
          const page = Number(/page:(\d+)/.exec(q)?.[1] ?? 0);
          const pageSize = Number(/page_size:(\d+)/.exec(q)?.[1] ?? 20);
          const all = [...options.dashboards].sort((a, b) => a.title.localeCompare(b.title));
          const slice = all.slice(page * pageSize, (page + 1) * pageSize);
          return {
            body: {
              count: all.length,
              ids: slice.map((d) => d.id),
              result: slice.map((d) => ({ id: d.id, dashboard_title: d.title })),
            },
          };
        },
      },
      {
        method: 'GET',
        path: /^\/api\/v1\/dashboard\/([^/]+)\/charts$/,
        handle: ({ match }) => {
          const d = options.dashboards.find((x) => String(x.id) === decodeURIComponent(match[1]!));
          if (!d) return { status: 404, body: { message: 'Not found' } };
          return {
            body: {
              result: d.charts.map((c) => ({
                id: c.id,
                slice_name: c.title,
                viz_type: c.type ?? 'table',
                description: c.description ?? null,
                form_data: { slice_id: c.id, viz_type: c.type ?? 'table' },
              })),
            },
          };
        },
      },
    ],
  });
  return server;
}
