/**
 * A fake Looker (API 4.0): POST /api/4.0/login (form client_id/client_secret -> access_token; a wrong
 * key -> 404 as Looker answers), `Authorization: token <t>`, GET /dashboards/search (limit, offset,
 * fields, sorts=id), GET /dashboards/{id} with dashboard_elements. Expired session -> 401
 * "Requires authentication.".
 */
import { intParam, startFakeServer, type FakeDashboard, type VendorServer } from './fake-server.js';

export interface FakeLookerOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly dashboards: FakeDashboard[];
}

export async function startFakeLooker(options: FakeLookerOptions): Promise<VendorServer> {
  const byId = () =>
    [...options.dashboards].sort((a, b) => String(a.id).localeCompare(String(b.id), 'en', { numeric: true }));
  const server = await startFakeServer({
    tokenOf: (r) => /^token (.+)$/.exec(r.headers.authorization ?? '')?.[1],
    unauthorized: {
      status: 401,
      body: { message: 'Requires authentication.', documentation_url: 'https://cloud.google.com/looker/docs/' },
    },
    routes: [
      {
        method: 'POST',
        path: /^\/api\/4\.0\/login$/,
        login: true,
        handle: ({ body }) => {
          const form = (body ?? {}) as Record<string, string>;
          if (form.client_id !== options.clientId || form.client_secret !== options.clientSecret) {
            return {
              status: 404,
              body: { message: 'Not found', documentation_url: 'https://cloud.google.com/looker/docs/' },
            };
          }
          return { body: { access_token: server.issueToken('looker'), token_type: 'Bearer', expires_in: 3600 } };
        },
      },
      {
        method: 'GET',
        path: /^\/api\/4\.0\/dashboards\/search$/,
        handle: ({ query }) => {
          const offset = intParam(query, 'offset', 0);
          const limit = intParam(query, 'limit', 100_000);
          const fields = (query.get('fields') ?? 'id,title,description').split(',');
          const page = byId().slice(offset, offset + limit);
          return {
            body: page.map((d) => {
              const full: Record<string, unknown> = {
                id: String(d.id),
                title: d.title,
                description: d.description ?? null,
              };
              return Object.fromEntries(fields.map((f) => [f, full[f]]));
            }),
          };
        },
      },
      {
        method: 'GET',
        path: /^\/api\/4\.0\/dashboards\/([^/]+)$/,
        handle: ({ match }) => {
          const d = options.dashboards.find((x) => String(x.id) === decodeURIComponent(match[1]!));
          if (!d) return { status: 404, body: { message: 'Not found' } };
          return {
            body: {
              id: String(d.id),
              title: d.title,
              description: d.description ?? null,
              dashboard_elements: d.charts.map((c) => ({
                id: String(c.id),
                dashboard_id: String(d.id),
                title: c.type === 'text' ? null : c.title,
                title_text: c.type === 'text' ? c.title : null,
                type: c.type === 'text' ? 'text' : 'vis',
                result_maker: c.type === 'text' ? null : { vis_config: { type: c.type } },
              })),
            },
          };
        },
      },
    ],
  });
  return server;
}
