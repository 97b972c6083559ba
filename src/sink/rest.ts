/**
 * The `metadata-rest` sink: upserts Create* bodies into OpenMetadata with PUT (DESIGN.md, "The
 * OpenMetadata sink"). Each request is retried on network errors, 429 and 5xx with the config's
 * retryPolicy, honouring `Retry-After`: up to maxAttempts attempts, or for upsert() as many as the
 * entity's retry budget the runtime passes allows (docs/runtime.md "Retries"); the runtime never
 * retries a write again. What still fails becomes a SinkError:
 * - `auth` (401/403): the token is wrong; the shard cannot run.
 * - `unreachable`: no HTTP answer through every attempt.
 * - `rejected` (other 4xx): the server cannot take this entity; one reported failure, with its message.
 * - `other`: a 5xx / 429 that outlasted the retries (`status` set).
 * The token is sent only in the Authorization header and is removed from every message we build, as is
 * the userinfo of hostPort (`http://user:password@host/api` is shown as `http://host/api`).
 *
 * Version-aware (check() reads GET /v1/system/version): bodies are rewritten into the server's dialect
 * (dialect.ts), and tables go in bulk (`PUT /v1/tables/bulk`, upsertMany) from 1.13.4 on; a server
 * that answers that route 404 / 405 gets single PUTs from then on, with one log line.
 */
import type { Logger } from '../util/logger.js';
import {
  TransientError,
  isTransientStatus,
  parseRetryAfter,
  withRetry,
  type RetryBudget,
  type RetryPolicyLike,
} from '../util/retry.js';
import { quoteName } from '../model/fqn.js';
import type { EntityKind, UpsertRequest } from '../model/entities.js';
import { AbortFanout } from './abort.js';
import {
  SinkError,
  type BulkItemResult,
  type ExistingEntity,
  type ListScope,
  type Sink,
  type SinkMode,
  type UpsertResult,
} from './contract.js';
import { NEWEST_DIALECT, dialectFor, toDialect, versionAtLeast, type DialectName } from './dialect.js';
import { HttpClient, NetworkError, serverMessage, type HttpResponse } from './http.js';
import { COLLECTIONS, apiBase } from './paths.js';

export interface OpenMetadataSinkOptions {
  /** `workflowConfig.openMetadataServerConfig.hostPort`, ending in `/api`. */
  readonly hostPort: string;
  /** `securityConfig.jwtToken`; undefined sends no Authorization header (authProvider `no-auth`). */
  readonly token?: string;
  /** `workflowConfig.distributedExecution.retryPolicy`. */
  readonly retryPolicy: RetryPolicyLike;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** Per-request timeout. @default 60000 */
  readonly requestTimeoutMs?: number;
  /** Page size of list calls (mark-deleted). @default 500 */
  readonly pageSize?: number;
  /** Waits between retries; replaceable so tests can record delays. @default setTimeout-based sleep */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A run-wide circuit breaker told of every attempt (src/runtime/circuit-breaker.ts). @default none */
  readonly circuit?: SinkCircuit;
}

/** What the sink tells a circuit breaker: before each HTTP attempt, and its outcome after. */
export interface SinkCircuit {
  /** Waits while the breaker pauses; throws when it is open. */
  beforeRequest(): Promise<void>;
  /** `failure`: a 5xx answer or network error, in words; undefined for any other answer. */
  afterRequest(failure: string | undefined): void;
}

type ListKind = Extract<EntityKind, 'table' | 'dashboard' | 'chart'>;

const HOST_PORT_KEY = 'workflowConfig.openMetadataServerConfig.hostPort';
const TOKEN_KEY = 'workflowConfig.openMetadataServerConfig.securityConfig.jwtToken';

/**
 * The first version with `PUT /v1/tables/bulk`. Shapes from OpenMetadata's
 * `openmetadata-service/.../resources/databases/TableResource.java` `bulkCreateOrUpdate` (operationId
 * `bulkCreateOrUpdateTables`: `@PUT @Path("/bulk")`, body `List<CreateTable>`, `?async=` default false,
 * 200 with a BulkOperationResult, 202 only for async) and `EntityResource.java` `processBulkRequest`,
 * read on the 2.0 line (mirror Jason-Clark-FG/OpenMetadata-Mirror, commit 0485318f); the endpoint is in
 * 1.13.4 and 2.0, and 2.0 adds `?overrideMetadata=`, which we do not send. Older servers answer 405.
 */
const BULK_TABLES_SINCE: readonly [number, number, number] = [1, 13, 4];

export class OpenMetadataSink implements Sink {
  private readonly http: HttpClient;
  /** hostPort without trailing slashes and without userinfo: the only form any message shows. */
  private readonly hostPort: string;
  /** Secrets to strip from messages: the token and hostPort's userinfo. */
  private readonly secrets: readonly string[];
  private readonly abort: AbortFanout;
  private serverVersion: string | undefined;
  private dialect: DialectName = NEWEST_DIALECT;
  private tables: 'bulk' | 'single' = 'single';

  constructor(private readonly options: OpenMetadataSinkOptions) {
    const { shown, userinfo } = splitUserinfo(options.hostPort.replace(/\/+$/, ''));
    this.hostPort = shown;
    this.secrets = [options.token, ...userinfo].filter((t): t is string => t !== undefined && t.length >= 4);
    this.abort = new AbortFanout(options.signal);
    this.http = new HttpClient({
      baseUrl: apiBase(options.hostPort),
      token: options.token,
      timeoutMs: options.requestTimeoutMs,
      abort: this.abort,
    });
  }

  mode(): SinkMode {
    return {
      dialect: this.dialect,
      tables: this.tables,
      ...(this.serverVersion === undefined ? {} : { serverVersion: this.serverVersion }),
    };
  }

  async check(): Promise<void> {
    const version = await this.send('GET', 'system/version', 'the version check', { auth: false, retryNetwork: false });
    const reported = (version.json as { version?: unknown } | undefined)?.version;
    if (version.status !== 200 || typeof reported !== 'string') {
      const answer = version.status === 200 ? 'an answer without a version' : `HTTP ${version.status}`;
      throw new SinkError(
        `${this.hostPort} does not look like an OpenMetadata server (GET /v1/system/version gave ${answer}): ` +
          `set ${HOST_PORT_KEY} to the OpenMetadata API base URL, ending in /api (for example http://openmetadata:8585/api).`,
        'unreachable',
        version.status,
      );
    }
    const me = await this.send('GET', 'users/loggedInUser', 'the token check', { retryNetwork: false });
    if (me.status === 401 || me.status === 403) throw this.authError(me.status);
    if (me.status >= 400 && me.status !== 404) {
      throw new SinkError(
        `OpenMetadata at ${this.hostPort} answered HTTP ${me.status} to the token check: ${this.redact(serverMessage(me))}.`,
        'other',
        me.status,
      );
    }
    this.serverVersion = reported;
    this.dialect = dialectFor(reported);
    this.tables = versionAtLeast(reported, BULK_TABLES_SINCE) ? 'bulk' : 'single';
    const tables = this.tables === 'bulk' ? 'tables in bulk (PUT /v1/tables/bulk)' : 'one PUT per table';
    this.options.logger.info(
      `Connected to OpenMetadata ${reported} at ${this.hostPort}; body dialect ${this.dialect}, ${tables}`,
    );
  }

  async upsert(request: UpsertRequest, budget?: RetryBudget): Promise<UpsertResult> {
    const what = `${request.kind} ${request.fqn}`;
    const body = toDialect(this.dialect, request).body;
    const res = await this.send('PUT', COLLECTIONS[request.kind], what, { body, budget });
    if (res.status === 201) return 'created';
    if (res.status === 200) return 'updated';
    throw this.failure(res, what);
  }

  /**
   * `PUT /v1/tables/bulk` with the requests (tables only) as one JSON array, retried as a whole on
   * network errors, 429 and 5xx. The answer is a BulkOperationResult (`type/bulkOperationResult.json`;
   * built by EntityResource.java `processBulkRequest` and EntityRepository `bulkCreateOrUpdateEntities`):
   * HTTP 200 with `successRequest[] = { request: <FQN>, status: 200 }` and `failedRequest[] = { request:
   * <the CreateTable> | <FQN>, message, status }`. The server does not say which items it created, so a
   * bulk success counts as `updated`. An item in neither list is a retryable failure of that item.
   * undefined: bulk is off (server version) or the server has no such route (404 / 405: logged once,
   * single PUTs from then on). A 400 for the whole array makes every item a failure (retried alone).
   */
  async upsertMany(requests: readonly UpsertRequest[]): Promise<BulkItemResult[] | undefined> {
    if (this.tables !== 'bulk' || requests.length === 0) return undefined;
    const notTable = requests.find((r) => r.kind !== 'table');
    if (notTable) throw new Error(`upsertMany takes tables only, not ${notTable.kind} ${notTable.fqn}`);
    const what = `a bulk upsert of ${requests.length} table(s)`;
    const body = requests.map((r) => toDialect(this.dialect, r).body);
    const res = await this.send('PUT', `${COLLECTIONS.table}/bulk`, what, { body });
    if (res.status === 404 || res.status === 405) {
      if (this.tables === 'bulk') {
        this.tables = 'single';
        this.options.logger.info(
          `OpenMetadata at ${this.hostPort} has no PUT /v1/tables/bulk (HTTP ${res.status}); upserting tables one by one`,
        );
      }
      return undefined;
    }
    if (res.status === 401 || res.status === 403) throw this.authError(res.status);
    if (res.status !== 200 && res.status !== 201) {
      const error = this.failure(res, what);
      return requests.map(() => error);
    }
    return this.bulkResults(requests, res);
  }

  /** Per-request results of a BulkOperationResult (see upsertMany). */
  private bulkResults(requests: readonly UpsertRequest[], res: HttpResponse): BulkItemResult[] {
    const result = (res.json ?? {}) as {
      successRequest?: readonly BulkResponse[] | null;
      failedRequest?: readonly BulkResponse[] | null;
    };
    const succeeded = new Set<string>();
    for (const item of result.successRequest ?? []) {
      const fqn = bulkItemFqn(item.request);
      if (fqn !== undefined) succeeded.add(fqn);
    }
    const failed = new Map<string, SinkError>();
    for (const item of result.failedRequest ?? []) {
      const fqn = bulkItemFqn(item.request);
      if (fqn === undefined) continue;
      const status = typeof item.status === 'number' ? item.status : 400;
      const message = typeof item.message === 'string' ? item.message.replace(/\s+/g, ' ') : `HTTP ${status}`;
      failed.set(
        fqn,
        new SinkError(
          `OpenMetadata rejected table ${fqn} in a bulk upsert (status ${status}): ${this.redact(message)}`,
          isTransientStatus(status) ? 'other' : 'rejected',
          status,
        ),
      );
    }
    return requests.map((request) => {
      const failure = failed.get(request.fqn);
      if (failure) return failure;
      if (succeeded.has(request.fqn)) return 'updated';
      return new SinkError(`OpenMetadata did not report table ${request.fqn} in the answer to a bulk upsert`, 'other');
    });
  }

  /**
   * Entities of a kind under a service, not deleted. Tables: OpenMetadata 1.0.x filters tables by
   * database only, so this lists the service's databases (or `scope.database` alone) and then each
   * database's tables. Dashboards and charts filter by service directly.
   */
  async *listEntities(kind: ListKind, service: string, scope: ListScope = {}): AsyncIterable<ExistingEntity> {
    if (kind !== 'table') {
      yield* this.pages(COLLECTIONS[kind], { service: quoteName(service) });
      return;
    }
    const databases: string[] = [];
    if (scope.database !== undefined) databases.push(scope.database);
    else
      for await (const db of this.pages(COLLECTIONS.database, { service: quoteName(service) })) databases.push(db.fqn);
    for (const database of databases) yield* this.pages(COLLECTIONS.table, { database });
  }

  async softDelete(kind: ListKind, id: string): Promise<void> {
    const path = `${COLLECTIONS[kind]}/${encodeURIComponent(id)}?hardDelete=false&recursive=true`;
    const res = await this.send('DELETE', path, `${kind} ${id}`);
    // Already gone (deleted by someone else, or by an earlier attempt whose answer was lost): done.
    if (res.status === 404 || (res.status >= 200 && res.status < 300)) return;
    throw this.failure(res, `${kind} ${id}`);
  }

  /** One `GET /v1/system/version`, no retries, no breaker: undefined when it answers 200, else why not. */
  async probe(): Promise<string | undefined> {
    try {
      const res = await this.http.request('GET', 'system/version', undefined, false);
      return res.status === 200 ? undefined : `HTTP ${res.status}`;
    } catch (error) {
      return error instanceof NetworkError ? `network error ${error.code}` : String(error);
    }
  }

  async close(): Promise<void> {
    this.http.close();
    this.abort.dispose();
  }

  private async *pages(collection: string, filter: Record<string, string>): AsyncIterable<ExistingEntity> {
    let after: string | undefined;
    do {
      const query = new URLSearchParams({ ...filter, limit: String(this.options.pageSize ?? 500) });
      if (after !== undefined) query.set('after', after);
      const res = await this.send('GET', `${collection}?${query}`, `the ${collection} list`);
      if (res.status !== 200) throw this.failure(res, `the ${collection} list`);
      const page = res.json as { data?: { id: string; fullyQualifiedName: string }[]; paging?: { after?: string } };
      for (const e of page.data ?? []) yield { id: e.id, fqn: e.fullyQualifiedName };
      const next = page.paging?.after ?? undefined;
      // A cursor that does not move would loop forever; treat it as the last page.
      after = next === after ? undefined : next;
    } while (after !== undefined);
  }

  /**
   * One request with retries: network errors (unless `retryNetwork` is false, for the start-up
   * check, which should answer at once), 429 and 5xx. Returns the last HTTP answer, whatever its status
   * when it is not transient; throws SinkError when no attempt got a non-transient answer.
   */
  private async send(
    method: string,
    path: string,
    what: string,
    opts: { body?: unknown; auth?: boolean; retryNetwork?: boolean; budget?: RetryBudget } = {},
  ): Promise<HttpResponse> {
    const { logger, circuit } = this.options;
    let attempts = 0;
    try {
      return await withRetry(
        async (attempt) => {
          attempts = attempt;
          await circuit?.beforeRequest();
          let res: HttpResponse;
          try {
            res = await this.http.request(method, path, opts.body, opts.auth ?? true);
          } catch (error) {
            if (error instanceof NetworkError) circuit?.afterRequest(`network error ${error.code}`);
            throw error;
          }
          circuit?.afterRequest(res.status >= 500 ? `HTTP ${res.status} for ${what}` : undefined);
          if (isTransientStatus(res.status)) {
            const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
            throw new TransientError(
              `HTTP ${res.status}: ${this.redact(serverMessage(res))}`,
              retryAfterMs,
              res.status,
            );
          }
          return res;
        },
        this.options.retryPolicy,
        {
          signal: this.options.signal,
          budget: opts.budget,
          // One abort listener for all waits (AbortFanout), unless a test records the delays.
          sleep: this.options.sleep ?? ((ms) => this.abort.sleep(ms)),
          retryable: (e) =>
            e instanceof TransientError ||
            (e instanceof NetworkError && opts.retryNetwork !== false && e.code !== 'ENOTFOUND'),
          onRetry: ({ attempt, delayMs, error }) =>
            logger.debug(
              `${method} ${what}: ${this.redact(errorText(error))}; attempt ${attempt + 1} in ${delayMs} ms`,
            ),
        },
      );
    } catch (error) {
      // A cancelled run reports the cancellation, not the fault that happened to be in flight.
      if (this.options.signal?.aborted) throw this.options.signal.reason;
      if (error instanceof NetworkError) throw this.unreachable(error);
      if (error instanceof TransientError) {
        throw new SinkError(
          `OpenMetadata at ${this.hostPort} answered ${error.message} for ${what} after ${attempts} attempt(s).`,
          'other',
          error.status,
        );
      }
      throw error;
    }
  }

  private failure(res: HttpResponse, what: string): SinkError {
    if (res.status === 401 || res.status === 403) return this.authError(res.status);
    return new SinkError(
      `OpenMetadata rejected ${what} (HTTP ${res.status}): ${this.redact(serverMessage(res))}`,
      'rejected',
      res.status,
    );
  }

  private authError(status: number): SinkError {
    const problem =
      this.options.token === undefined
        ? 'needs a JWT token and none is configured'
        : status === 401
          ? 'rejected the JWT token (HTTP 401)'
          : 'refused the JWT token the permission it needs (HTTP 403)';
    return new SinkError(
      `OpenMetadata at ${this.hostPort} ${problem}: set ${TOKEN_KEY} to the token of the ingestion-bot ` +
        `(OpenMetadata UI: Settings > Bots > ingestion-bot).`,
      'auth',
      status,
    );
  }

  private unreachable(error: NetworkError): SinkError {
    return new SinkError(
      `Cannot reach OpenMetadata at ${this.hostPort} (${error.code}): check ${HOST_PORT_KEY} ` +
        `(for example http://openmetadata:8585/api) and that the server is running and reachable from here.`,
      'unreachable',
    );
  }

  /** Removes the token and hostPort's userinfo from a message (a server might echo a header back). */
  private redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }
}

/** An item of BulkOperationResult's successRequest / failedRequest (`#/definitions/response`). */
interface BulkResponse {
  readonly request?: unknown;
  readonly message?: unknown;
  readonly status?: unknown;
}

/**
 * The table FQN a bulk result item names: the FQN string the repository reports, or the CreateTable
 * echoed back by a failed validation / preparation (`databaseSchema` FQN + quoted name).
 */
function bulkItemFqn(request: unknown): string | undefined {
  if (typeof request === 'string') return request;
  if (request === null || typeof request !== 'object') return undefined;
  const { name, databaseSchema } = request as { name?: unknown; databaseSchema?: unknown };
  if (typeof name !== 'string' || typeof databaseSchema !== 'string') return undefined;
  return `${databaseSchema}.${quoteName(name)}`;
}

/**
 * hostPort as messages show it (userinfo removed) and the userinfo's parts, decoded and raw, so that
 * neither can reach a message.
 */
function splitUserinfo(hostPort: string): { shown: string; userinfo: string[] } {
  let url: URL;
  try {
    url = new URL(hostPort);
  } catch {
    return { shown: hostPort.replace(/\/\/[^/@]*@/, '//'), userinfo: [] };
  }
  if (url.username === '' && url.password === '') return { shown: hostPort, userinfo: [] };
  const parts = [url.username, url.password].filter((p) => p !== '');
  const userinfo = [...parts, ...parts.map((p) => safeDecode(p))];
  url.username = '';
  url.password = '';
  return { shown: url.href.replace(/\/+$/, ''), userinfo };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function errorText(error: unknown): string {
  if (error instanceof NetworkError) return `${error.code} ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
