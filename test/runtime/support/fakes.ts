/**
 * Test doubles for our own interfaces (DiscoverableSource, Sink): an estate of
 * tables in memory, with scripted per-entity faults, and a sink that stores upserts in a Map.
 */
import { parseConfigText, resolveConfig } from '../../../src/config/load.js';
import type { IngestionConfig } from '../../../src/config/schema.js';
import type { RetryBudget } from '../../../src/util/retry.js';
import type { ExistingEntity, Sink, UpsertResult } from '../../../src/sink/contract.js';
import { SinkError } from '../../../src/sink/contract.js';
import { buildFqn } from '../../../src/model/fqn.js';
import type {
  DiscoverableSource,
  EntityDescriptor,
  EntityOutcome,
  UpsertRequest,
} from '../../../src/sources/contract.js';

export const SERVICE = 'svc';

/** `schemas` x `tablesPerSchema` tables named svc.db.s<i>.t<j>. */
export function estate(schemas: number, tablesPerSchema: number): string[] {
  const fqns: string[] = [];
  for (let s = 0; s < schemas; s++) {
    for (let t = 0; t < tablesPerSchema; t++) fqns.push(buildFqn(SERVICE, 'db', `s${s}`, `t${t}`));
  }
  return fqns;
}

export interface SourceFault {
  readonly error: string;
  readonly retryable: boolean;
  /** Fail this many process() calls for the entity, then succeed. @default Infinity */
  readonly times?: number;
}

export class FakeSource implements DiscoverableSource {
  readonly type = 'postgres';
  /** Every process() call's FQNs, in call order. */
  readonly batches: string[][] = [];
  discoverCalls = 0;
  /** Highest number of process() calls in flight at once. */
  maxInFlight = 0;
  private inFlight = 0;
  private readonly failuresLeft = new Map<string, number>();

  constructor(
    public fqns: string[],
    private readonly faults: ReadonlyMap<string, SourceFault> = new Map(),
    /** Awaited inside process() (lets a test hold batches in flight). */
    private readonly delay: () => Promise<void> = () => Promise.resolve(),
  ) {
    for (const [fqn, fault] of faults) this.failuresLeft.set(fqn, fault.times ?? Infinity);
  }

  async testConnection(): Promise<void> {}

  async *parents(): AsyncIterable<UpsertRequest> {
    yield { kind: 'databaseService', fqn: SERVICE, body: { name: SERVICE, serviceType: 'Postgres' } };
    yield { kind: 'database', fqn: `${SERVICE}.db`, body: { name: 'db', service: SERVICE } };
    const schemas = [...new Set(this.fqns.map((f) => f.split('.').slice(0, 3).join('.')))];
    for (const schema of schemas) yield { kind: 'databaseSchema', fqn: schema, body: { name: schema.split('.')[2] } };
  }

  async *discover(): AsyncIterable<EntityDescriptor> {
    this.discoverCalls++;
    for (const fqn of this.fqns) yield { fqn, type: 'table' };
  }

  async process(batch: readonly EntityDescriptor[]): Promise<EntityOutcome[]> {
    this.batches.push(batch.map((b) => b.fqn));
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.delay();
      return batch.map((entity): EntityOutcome => {
        const left = this.failuresLeft.get(entity.fqn) ?? 0;
        const fault = this.faults.get(entity.fqn);
        if (fault && left > 0) {
          this.failuresLeft.set(entity.fqn, left - 1);
          return { fqn: entity.fqn, ok: false, error: fault.error, retryable: fault.retryable };
        }
        return {
          fqn: entity.fqn,
          ok: true,
          requests: [{ kind: 'table', fqn: entity.fqn, body: { name: entity.fqn.split('.').pop() } }],
        };
      });
    } finally {
      this.inFlight--;
    }
  }

  async close(): Promise<void> {}
}

export interface SinkFault {
  /**
   * `transient`: a 503 the sink retries from the budget it is given; `exhausted`: the SinkError of a 503
   * that outlasted the sink's retries; the others: the SinkError of that reason.
   */
  readonly kind: 'transient' | 'exhausted' | 'rejected' | 'auth' | 'unreachable';
  /** @default Infinity */
  readonly times?: number;
}

interface Stored {
  id: string;
  body: Readonly<Record<string, unknown>>;
  kind: string;
  deleted: boolean;
}

/** A Sink keeping entities in memory: created on first upsert, updated after; soft delete flags them. */
export class MemorySink implements Sink {
  readonly entities = new Map<string, Stored>();
  readonly upserts: string[] = [];
  readonly deletedIds: string[] = [];
  private readonly faultsLeft = new Map<string, number>();
  private nextId = 1;

  constructor(
    private readonly faults: ReadonlyMap<string, SinkFault> = new Map(),
    /** Without listing, mark-deleted is skipped (the file sink). */
    readonly canList = true,
  ) {
    for (const [fqn, fault] of faults) this.faultsLeft.set(fqn, fault.times ?? Infinity);
    if (!canList) {
      this.listEntities = undefined;
      this.softDelete = undefined;
    }
  }

  async check(): Promise<void> {}

  /** Like the REST sink: retries `transient` faults itself while `budget` has retries left. */
  async upsert(request: UpsertRequest, budget?: RetryBudget): Promise<UpsertResult> {
    for (let attempt = 1; ; attempt++) {
      this.upserts.push(request.fqn);
      const left = this.faultsLeft.get(request.fqn) ?? 0;
      const fault = this.faults.get(request.fqn);
      if (!fault || left <= 0) break;
      this.faultsLeft.set(request.fqn, left - 1);
      if (fault.kind === 'transient') {
        if (budget?.spend()) continue;
        throw new SinkError(`answered HTTP 503 after ${attempt} attempt(s)`, 'other', 503);
      }
      if (fault.kind === 'exhausted') throw new SinkError('answered HTTP 503 after 3 attempt(s)', 'other', 503);
      if (fault.kind === 'unreachable') throw new SinkError('Cannot reach OpenMetadata', 'unreachable');
      throw new SinkError(
        fault.kind === 'auth' ? 'OpenMetadata rejected the token (401)' : `server refused ${request.fqn}`,
        fault.kind,
        fault.kind === 'auth' ? 401 : 400,
      );
    }
    const existing = this.entities.get(request.fqn);
    if (existing) {
      existing.body = request.body;
      existing.deleted = false;
      return 'updated';
    }
    this.entities.set(request.fqn, {
      id: `id-${this.nextId++}`,
      body: request.body,
      kind: request.kind,
      deleted: false,
    });
    return 'created';
  }

  listEntities?: Sink['listEntities'] = async function* (this: MemorySink, kind, service) {
    for (const [fqn, stored] of this.entities) {
      if (stored.kind === kind && !stored.deleted && fqn.startsWith(`${service}.`))
        yield { id: stored.id, fqn } as ExistingEntity;
    }
  };

  softDelete?: Sink['softDelete'] = async (_kind, id) => {
    this.deletedIds.push(id);
    for (const stored of this.entities.values()) if (stored.id === id) stored.deleted = true;
  };

  /** FQNs of live entities of a kind, sorted. */
  live(kind = 'table'): string[] {
    return [...this.entities]
      .filter(([, s]) => s.kind === kind && !s.deleted)
      .map(([f]) => f)
      .sort();
  }

  deleted(kind = 'table'): string[] {
    return [...this.entities]
      .filter(([, s]) => s.kind === kind && s.deleted)
      .map(([f]) => f)
      .sort();
  }

  async close(): Promise<void> {}
}

export interface ConfigOptions {
  readonly enabled?: boolean;
  readonly orchestrator?: 'local' | 'argo';
  readonly parallelism?: number;
  readonly chunkSize?: number;
  readonly shardFactor?: number;
  readonly maxAttempts?: number;
  readonly successThreshold?: number;
  readonly markDeleted?: boolean;
  readonly maxDeletedFraction?: number;
  readonly sinkFile?: string;
}

/** A postgres config (the fakes ignore its connection) with the runtime knobs set. */
export function configYaml(o: ConfigOptions = {}): string {
  return `source:
  type: postgres
  serviceName: ${SERVICE}
  serviceConnection:
    config:
      type: Postgres
      hostPort: localhost:5432
      username: u
      authType:
        password: \${PG_PASSWORD}
      database: db
  sourceConfig:
    config:
      type: DatabaseMetadata
      markDeletedTables: ${o.markDeleted ?? true}
sink:
${o.sinkFile ? `  type: file\n  config:\n    filename: ${o.sinkFile}` : '  type: metadata-rest\n  config: {}'}
workflowConfig:
  loggerLevel: DEBUG
  successThreshold: ${o.successThreshold ?? 90}
  openMetadataServerConfig:
    hostPort: http://localhost:8585/api
    authProvider: openmetadata
    securityConfig:
      jwtToken: \${OM_TOKEN}
  distributedExecution:
    enabled: ${o.enabled ?? true}
    orchestrator: ${o.orchestrator ?? 'local'}
    parallelism: ${o.parallelism ?? 4}
    chunkSize: ${o.chunkSize ?? 10}
    shardFactor: ${o.shardFactor ?? 2}
    maxDeletedFraction: ${o.maxDeletedFraction ?? 0.75}
    retryPolicy:
      maxAttempts: ${o.maxAttempts ?? 3}
      backoffSeconds: 1
      backoffFactor: 2
      maxBackoffSeconds: 10
`;
}

export const TEST_ENV = { PG_PASSWORD: 'pw-marker-7731', OM_TOKEN: 'token-marker-4412' };

export function testConfig(o: ConfigOptions = {}): IngestionConfig {
  return resolveConfig(parseConfigText(configYaml(o), 'test.yaml'), TEST_ENV);
}

/** Records log lines; `text()` joins them. */
export function recordingLogger() {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  return {
    lines,
    text: () => lines.join('\n'),
    debug: at('DEBUG'),
    info: at('INFO'),
    warn: at('WARN'),
    error: at('ERROR'),
  };
}

/** Records the delays the runtime asked for instead of sleeping. */
export function recordingSleep() {
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
  };
  return { delays, sleep };
}
