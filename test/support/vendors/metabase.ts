/**
 * A fake Metabase: POST /api/session ({username, password} -> {id}; wrong -> 401 with errors.password),
 * `X-Metabase-Session`, or a permanent `X-API-KEY`; GET /api/user/current, GET /api/dashboard (every
 * dashboard, archived ones flagged), GET /api/dashboard/{id} with dashcards (or ordered_cards when
 * `legacy`), a text card without card_id on each. Expired session -> 401 "Unauthenticated".
 */
import { startFakeServer, type FakeDashboard, type VendorServer } from './fake-server.js';

export interface FakeMetabaseOptions {
  readonly username?: string;
  readonly password?: string;
  readonly apiKey?: string;
  readonly dashboards: FakeDashboard[];
  /** Ids of dashboards listed as archived. @default [] */
  readonly archived?: readonly (string | number)[];
  /** Answer `ordered_cards` (Metabase < 0.47) instead of `dashcards`. @default false */
  readonly legacy?: boolean;
}

export async function startFakeMetabase(options: FakeMetabaseOptions): Promise<VendorServer> {
  const archived = new Set((options.archived ?? []).map(String));
  const server = await startFakeServer({
    tokenOf: (r) => {
      const key = r.headers['x-api-key'];
      if (typeof key === 'string') return options.apiKey !== undefined && key === options.apiKey ? true : key;
      const session = r.headers['x-metabase-session'];
      return typeof session === 'string' ? session : undefined;
    },
    unauthorized: { status: 401, body: 'Unauthenticated' },
    routes: [
      {
        method: 'POST',
        path: /^\/api\/session$/,
        login: true,
        handle: ({ body }) => {
          const b = (body ?? {}) as Record<string, string>;
          if (options.username === undefined || b.username !== options.username || b.password !== options.password) {
            return { status: 401, body: { errors: { password: 'did not match stored password' } } };
          }
          return { body: { id: server.issueToken('mb') } };
        },
      },
      {
        method: 'GET',
        path: /^\/api\/user\/current$/,
        handle: () => ({ body: { id: 1, email: 'ingest@example.com' } }),
      },
      {
        method: 'GET',
        path: /^\/api\/dashboard\/?$/,
        // Metabase does not promise an order; answer newest first to prove the connector sorts.
        handle: () => ({
          body: [...options.dashboards].reverse().map((d) => ({
            id: d.id,
            name: d.title,
            description: d.description ?? null,
            archived: archived.has(String(d.id)),
            collection_id: null,
          })),
        }),
      },
      {
        method: 'GET',
        path: /^\/api\/dashboard\/([^/]+)$/,
        handle: ({ match }) => {
          const d = options.dashboards.find((x) => String(x.id) === decodeURIComponent(match[1]!));
          if (!d) return { status: 404, body: 'Not found.' };
          const cards = [
            ...d.charts.map((c, i) => ({
              id: 10_000 + i,
              card_id: c.id,
              card: { id: c.id, name: c.title, display: c.type ?? 'table', description: c.description ?? null },
            })),
            { id: 99_999, card_id: null, card: { dataset_query: {} }, visualization_settings: { text: '# Notes' } },
          ];
          return {
            body: {
              id: d.id,
              name: d.title,
              description: d.description ?? null,
              [options.legacy ? 'ordered_cards' : 'dashcards']: cards,
            },
          };
        },
      },
    ],
  });
  return server;
}
