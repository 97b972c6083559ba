/**
 * The shared machinery of the fake vendor servers (Looker, Power BI, Tableau, Metabase, Superset): a real
 * node:http server on 127.0.0.1 (ephemeral port) with a route table, session tokens that can be expired
 * at will, and injectable faults (401, 429 with Retry-After, 500) for the next matching requests.
 * Each vendor file (looker.ts, ...) declares its routes in the vendor's documented shapes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeChart {
  readonly id: string | number;
  readonly title: string;
  /** The vendor's visualisation type (`looker_line`, `bar`, `line`...). */
  readonly type?: string;
  readonly description?: string;
}

export interface FakeDashboard {
  readonly id: string | number;
  readonly title: string;
  readonly description?: string;
  readonly charts: readonly FakeChart[];
  /** Power BI workspace id. */
  readonly workspace?: string;
}

export interface Fault {
  /** 401 (as for an expired session), 429 or a 5xx. */
  readonly status: number;
  /** `Retry-After` seconds on the answer; omitted: no header. */
  readonly retryAfter?: number;
  /** How many matching requests get the fault. @default 1 */
  readonly times?: number;
  /** Only requests whose path matches. @default every request but sign-in */
  readonly path?: RegExp;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Answer status. */
  status: number;
}

export interface Incoming {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  /** Parsed JSON or form body; undefined when empty. */
  readonly body: unknown;
  readonly match: RegExpMatchArray;
}

export interface Reply {
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Route {
  readonly method: string;
  readonly path: RegExp;
  /** Sign-in routes take no session and are not hit by path-less faults. @default false */
  readonly login?: boolean;
  handle(request: Incoming): Reply | Promise<Reply>;
}

export interface FakeServerSpec {
  readonly routes: readonly Route[];
  /** The session token a request carries, or undefined; `true` for a permanent credential (an API key) that is valid. */
  readonly tokenOf: (request: Incoming) => string | true | undefined;
  /** The vendor's answer to a missing or expired session. */
  readonly unauthorized: Reply;
}

export interface VendorServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Successful sign-ins so far. */
  readonly logins: number;
  /** Requests with a session that is expired or unknown. */
  readonly rejectedSessions: number;
  /** Largest number of requests handled at the same time. */
  readonly maxInFlight: number;
  /** Queues a fault for the next matching requests. */
  inject(fault: Fault): void;
  /** Expires every session: the next authenticated request is answered like an expired session. */
  expireSessions(): void;
  close(): Promise<void>;
}

export interface FakeServerHandle extends VendorServer {
  /** A new valid session token (for sign-in routes). */
  issueToken(prefix?: string): string;
}

export async function startFakeServer(spec: FakeServerSpec): Promise<FakeServerHandle> {
  const tokens = new Set<string>();
  const faults: { fault: Fault; left: number }[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let issued = 0;
  let logins = 0;
  let rejectedSessions = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    handle(req, res)
      .catch((error: unknown) => send(res, 500, { message: String(error) }))
      .finally(() => inFlight--);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const recorded: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
    };
    requests.push(recorded);
    const body = parseBody(await readBody(req), req.headers['content-type']);
    let route: Route | undefined;
    let match: RegExpMatchArray | null = null;
    for (const r of spec.routes) {
      if (r.method !== method) continue;
      match = url.pathname.match(r.path);
      if (match) {
        route = r;
        break;
      }
    }
    const reply = (status: number, replyBody: unknown, headers: Record<string, string> = {}) => {
      recorded.status = status;
      send(res, status, replyBody, headers);
    };
    const fault = faults.find(
      (f) => f.left > 0 && (f.fault.path ? f.fault.path.test(url.pathname) : route !== undefined && !route.login),
    );
    if (fault) {
      fault.left--;
      const headers: Record<string, string> =
        fault.fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.fault.retryAfter) };
      const faultBody =
        fault.fault.status === 401 ? spec.unauthorized.body : { message: `injected ${fault.fault.status}` };
      return reply(fault.fault.status, faultBody, headers);
    }
    if (!route || !match) return reply(404, { message: `no route for ${method} ${url.pathname}` });
    const incoming: Incoming = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      match,
    };
    if (!route.login) {
      const token = spec.tokenOf(incoming);
      if (token !== true && (token === undefined || !tokens.has(token))) {
        rejectedSessions++;
        return reply(spec.unauthorized.status ?? 401, spec.unauthorized.body, spec.unauthorized.headers);
      }
    }
    const answer = await route.handle(incoming);
    const status = answer.status ?? 200;
    if (route.login && status === 200) logins++;
    return reply(status, answer.body, answer.headers);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get logins() {
      return logins;
    },
    get rejectedSessions() {
      return rejectedSessions;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    inject(fault) {
      faults.push({ fault, left: fault.times ?? 1 });
    },
    expireSessions() {
      tokens.clear();
    },
    issueToken(prefix = 'session') {
      const token = `${prefix}-${++issued}`;
      tokens.add(token);
      return token;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (contentType?.startsWith('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Integer query parameter with a default. */
export function intParam(query: URLSearchParams, name: string, fallback: number): number {
  const value = query.get(name);
  return value === null ? fallback : Number.parseInt(value, 10);
}

/**
 * A deterministic estate: `count` dashboards with `chartsPer` charts each (ids from 1 up; chart types
 * cycle through `types`), titled `<prefix> <n>` (zero-padded so name order is id order).
 */
export function makeDashboards(
  count: number,
  chartsPer: number,
  options: {
    readonly prefix?: string;
    readonly types?: readonly string[];
    readonly idOf?: (n: number) => string | number;
  } = {},
): FakeDashboard[] {
  const types = options.types ?? ['line'];
  const idOf = options.idOf ?? ((n: number) => n);
  let chartId = 1000;
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    return {
      id: idOf(n),
      title: `${options.prefix ?? 'Dashboard'} ${String(n).padStart(4, '0')}`,
      description: `About dashboard ${n}`,
      charts: Array.from({ length: chartsPer }, (_, j) => {
        chartId++;
        return { id: idOf(chartId), title: `Chart ${n}.${j + 1}`, type: types[(i + j) % types.length] };
      }),
    };
  });
}
