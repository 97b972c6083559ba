/**
 * A real HTTP server (node:http on 127.0.0.1, ephemeral port) speaking the subset of the OpenMetadata
 * REST API that argo-ingest uses, as the version it announces (`version`, default 1.0.4) does. Every test that needs "an OpenMetadata server" starts one:
 *
 *   const om = await startOmServer({ token: 'test-token' });
 *   config.workflowConfig.openMetadataServerConfig.hostPort = om.url; // ends in /api
 *   ...
 *   om.entities('table').get('svc.db.public.orders')  // the stored entity, or undefined
 *   await om.close();
 *
 * Endpoints (paths under /api/v1):
 * - `GET /system/version` (no auth, as upstream) -> `{ version, revision, timestamp }`.
 * - `GET /users/loggedInUser` -> the bot user of the token (an authenticated "who am I").
 * - `PUT /services/databaseServices | /databases | /databaseSchemas | /tables | /services/dashboardServices
 *   | /charts | /dashboards` with the Create* body. The body is validated against the schema set of the
 *   announced version (test/support/om-schemas.ts `schemaSetFor`: 1.0.x -> 1.0.4, later -> 1.13);
 *   invalid -> 400 `{code, message}` and a record in `invalidBodies`. The
 *   parent named by the body (service / database / databaseSchema FQN, and a dashboard's charts) must
 *   exist -> else 404, as upstream. 201 when created, 200 when updated (a soft-deleted entity is
 *   restored by a PUT).
 * - `PUT /tables/bulk` (1.13.4 and later; TableResource.java `bulkCreateOrUpdate`, operationId
 *   `bulkCreateOrUpdateTables`, and EntityResource.java `processBulkRequest`): the body is a JSON array
 *   of CreateTable; the answer is 200 with a BulkOperationResult (`type/bulkOperationResult.json`):
 *   `successRequest[] = { request: <fqn>, status: 200 }` (created and updated alike),
 *   `failedRequest[] = { request: <the CreateTable> | <fqn>, message, status: 400 }`, row counts and
 *   `status` success / partialSuccess / failure. Items are validated and stored one by one like single
 *   PUTs. Older versions have no such route: `PUT /tables/{id}` does not exist either, so JAX-RS answers
 *   405 (the path matches `GET|DELETE /tables/{id}`). Faults hit a bulk PUT as a whole; `itemRate`
 *   additionally fails single items of a bulk PUT (400, nothing stored), as a server's per-entity
 *   fallback does when a row fails.
 * - `GET /<collection>?limit&after&before&include&fields` with the 1.0.x filters: tables and
 *   databaseSchemas by `database=<fqn>`, databases by `service=`, dashboards and charts by `service=`.
 *   Unknown query parameters are ignored, as upstream (1.0.x tables have no `service` filter).
 *   Answer: `{ data, paging: { total, after?, before? } }` with opaque cursors; `limit` defaults to 10.
 * - `GET /<collection>/name/<fqn>` and `GET /<collection>/<id>` (`include` honoured).
 * - `DELETE /<collection>/<id>?hardDelete=false&recursive=true`: soft delete sets `deleted: true` (and
 *   on children when recursive); a container with live children needs `recursive=true` (400 otherwise).
 *
 * Stored entities look like upstream entities: the Create* body, plus `id` (deterministic UUID from kind
 * and FQN), `fullyQualifiedName`, `version` (0.1, +0.1 per update that changes the body), `deleted`, and
 * the parent fields replaced by entity references `{ id, type, name, fullyQualifiedName }` (a table gets
 * `service`, `database` and `databaseSchema`; a dashboard's `charts` become references).
 *
 * Auth: `Authorization: Bearer <token>` on everything but /system/version; otherwise 401 JSON.
 * Faults (for retry tests): a seeded, deterministic fraction of PUTs is answered 503 or 429 with
 * `Retry-After`, or has its connection reset, before the body is looked at (nothing is stored).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { EntityKind } from '../../src/sources/contract.js';
import { versionAtLeast } from '../../src/sink/dialect.js';
import { schemaSetFor, validateCreate, type SchemaSet } from './om-schemas.js';

export type FaultKind = '503' | '429' | 'reset';

export interface OmFaultOptions {
  /** Fraction (0..1) of PUTs answered with a fault instead of being processed. */
  readonly rate: number;
  /** Faults to choose from, evenly. @default ['503', '429'] */
  readonly kinds?: readonly FaultKind[];
  /** `Retry-After` seconds on 503 / 429 answers; `null` sends none. @default 0 */
  readonly retryAfterSeconds?: number | null;
  /** Fraction (0..1) of the items of a bulk PUT that fail alone (400 in failedRequest). @default 0 */
  readonly itemRate?: number;
}

export interface OmServerOptions {
  /** The bearer token the server accepts. @default 'test-token' */
  readonly token?: string;
  /** Fixed delay added to every request, for benchmarks. @default 0 */
  readonly latencyMs?: number;
  /** Injected faults on PUTs. @default none */
  readonly faults?: OmFaultOptions;
  /** Seed of the fault choice; the same seed and request order give the same faults. @default 1 */
  readonly seed?: number;
  /**
   * Version reported by /system/version; it also chooses the schema set bodies are validated with and
   * whether `PUT /tables/bulk` exists (1.13.4 and later). @default '1.0.4'
   */
  readonly version?: string;
  /**
   * Whether `PUT /tables/bulk` exists, when not as the version says: `false` stands for a server (or a
   * proxy in front of it) that answers the route 405 although the version has it. @default version >= 1.13.4
   */
  readonly bulkEndpoint?: boolean;
}

export interface OmCounters {
  /** PUT requests received (faulted and rejected ones included, bulk PUTs included). */
  puts: number;
  /** `PUT /tables` and `PUT /tables/bulk` requests (faulted, rejected and 405 ones included). */
  tablePuts: number;
  /** `PUT /tables/bulk` requests (as tablePuts). */
  bulkPuts: number;
  /** Items of bulk PUTs that failed (invalid, missing parent, or `itemRate`). */
  bulkItemsFailed: number;
  created: number;
  updated: number;
  /** PUTs answered 400 (invalid body) or 404 (missing parent). */
  rejected: number;
  faultsInjected: number;
  /** DELETE requests that deleted something. */
  deletes: number;
  /** Requests with a missing or wrong token. */
  unauthorized: number;
  /** TCP connections accepted (keep-alive clients reuse a few for many requests). */
  connections: number;
}

export interface InvalidBody {
  readonly kind: EntityKind;
  readonly body: unknown;
  readonly errors: readonly string[];
}

export interface EntityRef {
  readonly id: string;
  readonly type: EntityKind;
  readonly name: string;
  readonly fullyQualifiedName: string;
}

/** An entity as stored (see the header); the Create* fields are kept as sent except parent references. */
export interface StoredEntity extends Record<string, unknown> {
  readonly id: string;
  readonly name: string;
  readonly fullyQualifiedName: string;
  readonly version: number;
  readonly deleted: boolean;
}

export interface OmTestServer {
  /** The `hostPort` value for a config: `http://127.0.0.1:<port>/api`. */
  readonly url: string;
  readonly port: number;
  /** Stored entities of a kind, by FQN (soft-deleted ones included, with `deleted: true`). */
  entities(kind: EntityKind): ReadonlyMap<string, StoredEntity>;
  readonly counters: Readonly<OmCounters>;
  readonly invalidBodies: readonly InvalidBody[];
  /** The schema set bodies are validated with (from the announced version). */
  readonly schemaSet: SchemaSet;
  /** Replaces the fault settings (e.g. to fault only a second run). `undefined` turns faults off. */
  setFaults(faults: OmFaultOptions | undefined): void;
  /** Forgets every entity, counter and invalid body. */
  reset(): void;
  close(): Promise<void>;
}

interface KindInfo {
  readonly kind: EntityKind;
  readonly collection: string;
  /** Body field naming the parent FQN, and the parent's kind. */
  readonly parent?: { readonly field: string; readonly kind: EntityKind };
  /** List filter query parameter -> parent kind it matches (1.0.x). */
  readonly filters: Readonly<Record<string, EntityKind>>;
}

const KINDS: readonly KindInfo[] = [
  { kind: 'databaseService', collection: 'services/databaseServices', filters: {} },
  {
    kind: 'database',
    collection: 'databases',
    parent: { field: 'service', kind: 'databaseService' },
    filters: { service: 'databaseService' },
  },
  {
    kind: 'databaseSchema',
    collection: 'databaseSchemas',
    parent: { field: 'database', kind: 'database' },
    filters: { database: 'database' },
  },
  {
    kind: 'table',
    collection: 'tables',
    parent: { field: 'databaseSchema', kind: 'databaseSchema' },
    filters: { database: 'database' },
  },
  { kind: 'dashboardService', collection: 'services/dashboardServices', filters: {} },
  {
    kind: 'chart',
    collection: 'charts',
    parent: { field: 'service', kind: 'dashboardService' },
    filters: { service: 'dashboardService' },
  },
  {
    kind: 'dashboard',
    collection: 'dashboards',
    parent: { field: 'service', kind: 'dashboardService' },
    filters: { service: 'dashboardService' },
  },
];

const BY_COLLECTION = new Map(KINDS.map((k) => [k.collection, k]));
const BY_KIND = new Map(KINDS.map((k) => [k.kind, k]));

/** FullyQualifiedName.quoteName: a part containing '.' is wrapped in double quotes. */
function quoteName(name: string): string {
  return name.includes('.') ? `"${name}"` : name;
}

function deterministicId(kind: EntityKind, fqn: string): string {
  const h = createHash('sha1').update(`${kind}\0${fqn}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** mulberry32: small, seedable PRNG so fault choice is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The request body as text; with events rather than an async iterator, which costs far more CPU per request. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    if (req.readableEnded) {
      resolve('');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
    // A client gone before the end of its body: the same failure as the async iterator's premature close.
    req.once('close', () => {
      if (!req.readableEnded) reject(new Error('the request closed before the end of its body'));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startOmServer(options: OmServerOptions = {}): Promise<OmTestServer> {
  const token = options.token ?? 'test-token';
  const latencyMs = options.latencyMs ?? 0;
  const version = options.version ?? '1.0.4';
  const schemaSet = schemaSetFor(version);
  // PUT /v1/tables/bulk: present at 1.13.4 (see the header).
  const hasBulk = options.bulkEndpoint ?? versionAtLeast(version, [1, 13, 4]);
  let faults = options.faults;
  const random = prng(options.seed ?? 1);

  const store = new Map<EntityKind, Map<string, StoredEntity>>();
  const byId = new Map<string, { kind: EntityKind; fqn: string }>();
  const counters: OmCounters = {
    puts: 0,
    tablePuts: 0,
    bulkPuts: 0,
    bulkItemsFailed: 0,
    created: 0,
    updated: 0,
    rejected: 0,
    faultsInjected: 0,
    deletes: 0,
    unauthorized: 0,
    connections: 0,
  };
  const invalidBodies: InvalidBody[] = [];
  const table = (kind: EntityKind) => {
    let m = store.get(kind);
    if (!m) store.set(kind, (m = new Map()));
    return m;
  };
  const refOf = (kind: EntityKind, e: StoredEntity): EntityRef => ({
    id: e.id,
    type: kind,
    name: e.name,
    fullyQualifiedName: e.fullyQualifiedName,
  });
  const live = (kind: EntityKind, fqn: string) => {
    const e = table(kind).get(fqn);
    return e && !e.deleted ? e : undefined;
  };

  function lookupParent(kind: EntityKind, fqn: unknown): StoredEntity {
    const e = typeof fqn === 'string' ? live(kind, fqn) : undefined;
    if (!e) throw new HttpError(404, `${kind} instance for ${String(fqn)} not found`);
    return e;
  }

  /** Parent references of a new entity, keyed by field, and the entity's FQN. */
  function resolveParents(info: KindInfo, body: Record<string, unknown>) {
    const name = body.name as string;
    const refs: Record<string, unknown> = {};
    if (!info.parent) return { fqn: quoteName(name), refs };
    const parent = lookupParent(info.parent.kind, body[info.parent.field]);
    refs[info.parent.field] = refOf(info.parent.kind, parent);
    // Upstream entities carry every ancestor: a table has service, database and databaseSchema.
    for (const key of ['service', 'database'] as const) {
      if (parent[key] && key !== info.parent.field) refs[key] = parent[key];
    }
    if (info.kind === 'dashboard' && Array.isArray(body.charts)) {
      refs.charts = body.charts.map((c) => refOf('chart', lookupParent('chart', c)));
    }
    return { fqn: `${parent.fullyQualifiedName}.${quoteName(name)}`, refs };
  }

  function upsert(info: KindInfo, body: unknown): { status: number; entity: StoredEntity } {
    const errors = validateCreate(info.kind, body, schemaSet);
    if (errors.length > 0) {
      invalidBodies.push({ kind: info.kind, body, errors });
      throw new HttpError(400, `[${errors.join(', ')}]`);
    }
    const request = body as Record<string, unknown>;
    const { fqn, refs } = resolveParents(info, request);
    const existing = table(info.kind).get(fqn);
    const fields = { ...request, ...refs };
    if (existing) {
      const { id, version: v, deleted, fullyQualifiedName: _f, ...old } = existing;
      void _f;
      const changed = deleted || JSON.stringify(old) !== JSON.stringify({ ...fields, name: request.name });
      const entity: StoredEntity = {
        ...fields,
        id,
        name: request.name as string,
        fullyQualifiedName: fqn,
        version: changed ? Math.round((v + 0.1) * 10) / 10 : v,
        deleted: false,
      };
      table(info.kind).set(fqn, entity);
      return { status: 200, entity };
    }
    const entity: StoredEntity = {
      ...fields,
      id: deterministicId(info.kind, fqn),
      name: request.name as string,
      fullyQualifiedName: fqn,
      version: 0.1,
      deleted: false,
    };
    table(info.kind).set(fqn, entity);
    byId.set(entity.id, { kind: info.kind, fqn });
    return { status: 201, entity };
  }

  function includeFilter(include: string | null): (e: StoredEntity) => boolean {
    if (include === 'all') return () => true;
    if (include === 'deleted') return (e) => e.deleted;
    if (include === null || include === 'non-deleted') return (e) => !e.deleted;
    throw new HttpError(400, `query param include must be one of [all, deleted, non-deleted]`);
  }

  function list(info: KindInfo, query: URLSearchParams) {
    const keep = includeFilter(query.get('include'));
    const limitText = query.get('limit') ?? '10';
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 0 || limit > 1_000_000) {
      throw new HttpError(400, `query param limit must be between 0 and 1000000`);
    }
    let rows = [...table(info.kind).values()].filter(keep);
    for (const param of Object.keys(info.filters)) {
      const value = query.get(param);
      if (value === null) continue;
      rows = rows.filter((e) => (e[param] as EntityRef | undefined)?.fullyQualifiedName === value);
    }
    rows.sort((a, b) => (a.fullyQualifiedName < b.fullyQualifiedName ? -1 : 1));
    const decode = (c: string) => Buffer.from(c, 'base64url').toString('utf8');
    const encode = (fqn: string) => Buffer.from(fqn, 'utf8').toString('base64url');
    const after = query.get('after');
    const before = query.get('before');
    let page: StoredEntity[];
    if (before !== null) {
      const end = rows.filter((e) => e.fullyQualifiedName < decode(before));
      page = end.slice(Math.max(0, end.length - limit));
    } else {
      const start = after === null ? rows : rows.filter((e) => e.fullyQualifiedName > decode(after));
      page = start.slice(0, limit);
    }
    const first = page[0];
    const last = page[page.length - 1];
    const paging: Record<string, unknown> = { total: rows.length };
    if (last && rows[rows.length - 1] !== last) paging.after = encode(last.fullyQualifiedName);
    if (first && rows[0] !== first) paging.before = encode(first.fullyQualifiedName);
    return { data: page, paging };
  }

  function childrenOf(kind: EntityKind, e: StoredEntity): { kind: EntityKind; entity: StoredEntity }[] {
    const out: { kind: EntityKind; entity: StoredEntity }[] = [];
    for (const info of KINDS) {
      if (info.parent?.kind !== kind) continue;
      for (const child of table(info.kind).values()) {
        if ((child[info.parent.field] as EntityRef | undefined)?.id === e.id)
          out.push({ kind: info.kind, entity: child });
      }
    }
    return out;
  }

  function remove(info: KindInfo, id: string, query: URLSearchParams): StoredEntity {
    const where = byId.get(id);
    const entity = where && where.kind === info.kind ? table(info.kind).get(where.fqn) : undefined;
    if (!entity || !where) throw new HttpError(404, `${info.kind} instance for ${id} not found`);
    const hard = query.get('hardDelete') === 'true';
    const recursive = query.get('recursive') === 'true';
    const children = childrenOf(info.kind, entity);
    if (!recursive && children.some((c) => !c.entity.deleted)) {
      throw new HttpError(400, `Entity ${info.kind} is not empty`);
    }
    const apply = (kind: EntityKind, e: StoredEntity) => {
      for (const c of childrenOf(kind, e)) apply(c.kind, c.entity);
      if (hard) {
        table(kind).delete(e.fullyQualifiedName);
        byId.delete(e.id);
      } else {
        table(kind).set(e.fullyQualifiedName, {
          ...e,
          deleted: true,
          version: Math.round((e.version + 0.1) * 10) / 10,
        });
      }
    };
    apply(info.kind, entity);
    counters.deletes++;
    return { ...entity, deleted: true };
  }

  /** PUT /tables/bulk on a version that has it: each item upserted alone, results collected. */
  function bulkUpsert(items: unknown): Record<string, unknown> {
    // Jackson cannot bind anything but an array to List<CreateTable>.
    if (!Array.isArray(items)) throw new HttpError(400, 'Unable to process JSON');
    const info = BY_KIND.get('table')!;
    const successRequest: Record<string, unknown>[] = [];
    const failedRequest: Record<string, unknown>[] = [];
    for (const item of items) {
      try {
        if (faults?.itemRate && random() < faults.itemRate) {
          counters.faultsInjected++;
          const fqnGuess =
            item && typeof item === 'object' ? tableFqnOf(item as Record<string, unknown>) : String(item);
          failedRequest.push({
            request: fqnGuess,
            status: 400,
            message: 'Entity does not exist and could not be created',
          });
          continue;
        }
        const { status, entity } = upsert(info, item);
        if (status === 201) counters.created++;
        else counters.updated++;
        successRequest.push({ request: entity.fullyQualifiedName, status: 200 });
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        counters.rejected++;
        failedRequest.push({ request: item, message: error.message, status: 400 });
      }
    }
    counters.bulkItemsFailed += failedRequest.length;
    const result: Record<string, unknown> = {
      status: failedRequest.length === 0 ? 'success' : successRequest.length === 0 ? 'failure' : 'partialSuccess',
      numberOfRowsProcessed: items.length,
      numberOfRowsPassed: successRequest.length,
      numberOfRowsFailed: failedRequest.length,
    };
    // processBulkRequest answers a batch with no valid entity before the repository runs: no successRequest.
    if (successRequest.length > 0) result.successRequest = successRequest;
    if (failedRequest.length > 0) result.failedRequest = failedRequest;
    return result;
  }

  function tableFqnOf(body: Record<string, unknown>): string {
    return `${String(body.databaseSchema)}.${quoteName(String(body.name))}`;
  }

  /** A fault answer (503 / 429 / reset) when one is due; true when the request was answered. */
  async function answerFault(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const fault = pickFault();
    if (!fault) return false;
    counters.faultsInjected++;
    if (fault === 'reset') {
      req.socket.destroy();
      return true;
    }
    await readBody(req);
    const retryAfter = faults?.retryAfterSeconds === undefined ? 0 : faults.retryAfterSeconds;
    const headers: Record<string, string> = retryAfter === null ? {} : { 'retry-after': String(retryAfter) };
    const status = Number(fault);
    sendJson(
      res,
      status,
      { code: status, message: status === 429 ? 'Too Many Requests' : 'Service Unavailable' },
      headers,
    );
    return true;
  }

  function pickFault(): FaultKind | undefined {
    if (!faults || faults.rate <= 0) return undefined;
    if (random() >= faults.rate) return undefined;
    const kinds = faults.kinds ?? ['503', '429'];
    return kinds[Math.floor(random() * kinds.length)] ?? '503';
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    if (latencyMs > 0) await sleep(latencyMs);

    if (!path.startsWith('/api/v1/')) throw new HttpError(404, `HTTP 404 Not Found`);
    const rest = path.slice('/api/v1/'.length);

    if (rest === 'system/version' && method === 'GET') {
      sendJson(res, 200, { version, revision: 'argo-ingest-test', timestamp: 1_700_000_000_000 });
      return;
    }

    const auth = req.headers.authorization;
    if (auth !== `Bearer ${token}`) {
      counters.unauthorized++;
      await readBody(req);
      const message = auth ? 'Not Authorized! Invalid token' : 'Not Authorized! Token not present';
      sendJson(res, 401, { code: 401, message });
      return;
    }

    if (rest === 'users/loggedInUser' && method === 'GET') {
      sendJson(res, 200, {
        id: deterministicId('databaseService', 'ingestion-bot'),
        name: 'ingestion-bot',
        fullyQualifiedName: 'ingestion-bot',
        isBot: true,
      });
      return;
    }

    if (rest === 'tables/bulk' && method === 'PUT') {
      counters.puts++;
      counters.tablePuts++;
      counters.bulkPuts++;
      if (!hasBulk) {
        await readBody(req);
        throw new HttpError(405, 'HTTP 405 Method Not Allowed');
      }
      if (await answerFault(req, res)) return;
      let items: unknown;
      try {
        items = JSON.parse(await readBody(req));
      } catch {
        throw new HttpError(400, 'Unable to process JSON');
      }
      sendJson(res, 200, bulkUpsert(items));
      return;
    }

    const collectionInfo = BY_COLLECTION.get(rest);
    if (collectionInfo && method === 'PUT') {
      counters.puts++;
      if (collectionInfo.kind === 'table') counters.tablePuts++;
      if (await answerFault(req, res)) return;
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        counters.rejected++;
        throw new HttpError(400, 'Unable to process JSON');
      }
      try {
        const { status, entity } = upsert(collectionInfo, body);
        if (status === 201) counters.created++;
        else counters.updated++;
        sendJson(res, status, entity);
      } catch (error) {
        counters.rejected++;
        throw error;
      }
      return;
    }
    if (collectionInfo && method === 'GET') {
      sendJson(res, 200, list(collectionInfo, url.searchParams));
      return;
    }

    // /<collection>/name/<fqn> and /<collection>/<id>, where the collection may contain a '/'.
    for (const info of KINDS) {
      const prefix = `${info.collection}/`;
      if (!rest.startsWith(prefix)) continue;
      const tail = rest.slice(prefix.length);
      const keep = includeFilter(url.searchParams.get('include'));
      if (method === 'GET' && tail.startsWith('name/')) {
        const fqn = decodeURIComponent(tail.slice('name/'.length));
        const e = table(info.kind).get(fqn);
        if (!e || !keep(e)) throw new HttpError(404, `${info.kind} instance for ${fqn} not found`);
        sendJson(res, 200, e);
        return;
      }
      if (!tail.includes('/')) {
        const id = decodeURIComponent(tail);
        if (method === 'DELETE') {
          sendJson(res, 200, remove(info, id, url.searchParams));
          return;
        }
        if (method === 'GET') {
          const where = byId.get(id);
          const e = where?.kind === info.kind ? table(info.kind).get(where.fqn) : undefined;
          if (!e || !keep(e)) throw new HttpError(404, `${info.kind} instance for ${id} not found`);
          sendJson(res, 200, e);
          return;
        }
      }
    }
    throw new HttpError(404, `HTTP 404 Not Found`);
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || req.socket.destroyed) return;
      if (error instanceof HttpError) sendJson(res, error.status, { code: error.status, message: error.message });
      else sendJson(res, 500, { code: 500, message: error instanceof Error ? error.message : String(error) });
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s) => {
    counters.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/api`,
    port,
    entities: (kind) => table(kind),
    counters,
    invalidBodies,
    schemaSet,
    setFaults(next) {
      faults = next;
    },
    reset() {
      store.clear();
      byId.clear();
      invalidBodies.length = 0;
      for (const key of Object.keys(counters) as (keyof OmCounters)[]) counters[key] = 0;
    },
    close() {
      return new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

/** The REST collection of an entity kind (`tables`, `services/databaseServices`, ...). */
export function collectionOf(kind: EntityKind): string {
  return BY_KIND.get(kind)!.collection;
}
