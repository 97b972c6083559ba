/**
 * The synthesized WorkflowTemplate, run by the emulator the way Argo's controller would run it (rules at
 * v4.1.2: strict `steps.*` references, init-less pod layout), with the real worker as every pod, a real
 * PostgreSQL and the OpenMetadata test server. Each failure path must end in finalize (or, at the
 * deadline, in nothing), and mark-deleted must run only after a complete run.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import type { EmulateResult, PodFault, PodRef } from '../../src/emulate/emulator.js';
import { emulatePipeline, type PipelineEmulateOptions } from '../../src/emulate/pipeline.js';
import { postgresConnectionYaml, postgresEnv, workflowYaml } from '../support/e2e.js';
import { runCli } from '../support/cli.js';
import { startOmServer, type OmTestServer } from '../support/om-server.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';

const TOKEN = 'emulate-token-7f3a';
const TABLES = Array.from({ length: 12 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);
const SERVICE = 'pg_emulate';

let pg: PostgresServer;
let om: OmTestServer;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulate-test-'));
  [pg, om] = await Promise.all([startPostgres(), startOmServer({ token: TOKEN, latencyMs: 20 })]);
  await pg.query('create schema sales');
  for (const t of TABLES) await pg.query(`create table sales.${t} (id int primary key, note text)`);
  env = {
    ...postgresEnv(pg),
    OM_HOST_PORT: om.url,
    OM_JWT_TOKEN: TOKEN,
  };
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([pg?.close(), om?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

function configText(o: { orchestrator: 'argo' | 'local'; parallelism: number; shardFactor?: number }): string {
  return `source:
  type: postgres
  serviceName: ${SERVICE}
${postgresConnectionYaml()}
  sourceConfig:
    config:
      type: DatabaseMetadata
      markDeletedTables: true
      schemaFilterPattern:
        includes: ['^sales$']
${workflowYaml({
  orchestrator: o.orchestrator,
  parallelism: o.parallelism,
  shardFactor: o.shardFactor ?? 2,
  namespace: 'ingest',
  image: 'argo-ingest:test',
  maxAttempts: 2,
  backoffFactor: 1,
  maxBackoffSeconds: 1,
})}`;
}

let configs = 0;
async function writeConfig(text: string): Promise<string> {
  const file = join(dir, `config-${++configs}.yaml`);
  await writeFile(file, text);
  return file;
}

/**
 * OpenMetadata holds every table plus `sales.gone`, which PostgreSQL no longer has: a complete run must
 * soft-delete it, an incomplete one must not touch it.
 */
async function seedStaleTable(): Promise<void> {
  om.reset();
  await pg.query('create table sales.gone (id int)');
  const local = await runCli(
    ['run', '-c', await writeConfig(configText({ orchestrator: 'local', parallelism: 2 }))],
    env,
  );
  expect(local.code, local.stderr).toBe(0);
  await pg.query('drop table sales.gone');
  expect(liveTables()).toContain('gone');
  expect(om.counters.deletes).toBe(0);
}

function liveTables(): string[] {
  return [...om.entities('table').values()]
    .filter((t) => !t.deleted)
    .map((t) => t.name)
    .sort();
}

function goneIsDeleted(): boolean {
  return [...om.entities('table').values()].some((t) => t.name === 'gone' && t.deleted);
}

async function emulateRun(
  config: { parallelism: number; shardFactor?: number },
  options: PipelineEmulateOptions = {},
): Promise<{ result: EmulateResult; log: string[]; output: Map<string, string> }> {
  const file = await writeConfig(configText({ orchestrator: 'argo', ...config }));
  const log: string[] = [];
  const output = new Map<string, string>();
  const result = await emulatePipeline(loadConfigFile(file), {
    env,
    log: (line) => log.push(line),
    podOutput: (pod, text) => output.set(pod.name, (output.get(pod.name) ?? '') + text),
    ...options,
  });
  return { result, log, output };
}

const podsOf = (result: EmulateResult, step: string) => result.pods.filter((p) => p.step === step);

/** finalize ran, failed the Workflow, named `missing`, and nothing was marked deleted. */
function expectIncompleteRun(result: EmulateResult, missing: string): void {
  expect(result.phase).toBe('Failed');
  const finalize = podsOf(result, 'finalize');
  expect(finalize.map((p) => p.phase)).toEqual(['Failed']);
  expect(finalize[0]!.output).toContain(`no result from ${missing}`);
  expect(finalize[0]!.output).toMatch(/nothing is marked deleted/);
  expect(om.counters.deletes).toBe(0);
  expect(goneIsDeleted()).toBe(false);
}

/** A fault for the pods of shard `shard` (every attempt unless `attempts` says which). */
function onShard(shard: number, fault: (pod: PodRef) => PodFault | undefined, attempts?: readonly number[]) {
  return (pod: PodRef) =>
    pod.step === 'process' && pod.index === shard && (!attempts || attempts.includes(pod.attempt))
      ? fault(pod)
      : undefined;
}

const WRONG_TOKEN: PodFault = { env: { OM_JWT_TOKEN: 'revoked-token' } };

describe('argo-ingest emulate: failure paths end in finalize', () => {
  it('runs finalize when every shard fails every attempt, fails the Workflow and deletes nothing', async () => {
    await seedStaleTable();
    const { result } = await emulateRun(
      { parallelism: 2 },
      { fault: (pod) => (pod.step === 'process' ? WRONG_TOKEN : undefined) },
    );
    // 12 tables at parallelism 2: K = max(2, ceil(12 / 5)) = 3 shards, 2 attempts each, all Failed.
    expect(podsOf(result, 'process').map((p) => p.phase)).toEqual(Array(6).fill('Failed'));
    expectIncompleteRun(result, 'shards 0, 1, 2');
    // The zero-success aggregate reached finalize as `[]`, in the work emptyDir.
    expect(podsOf(result, 'finalize')[0]!.output).toMatch(/12 entities counted as failed/);
  }, 180_000);

  it('runs finalize when the only shard (K = 1) fails every attempt', async () => {
    await seedStaleTable();
    const { result } = await emulateRun({ parallelism: 1, shardFactor: 1 }, { fault: onShard(0, () => WRONG_TOKEN) });
    expect(podsOf(result, 'process').map((p) => [p.index, p.phase])).toEqual([
      [0, 'Failed'],
      [0, 'Failed'],
    ]);
    expectIncompleteRun(result, 'shard 0');
    expect(liveTables()).toContain('gone');
  }, 180_000);

  it('runs finalize when a pod is lost mid-shard on every attempt (phase Error), and names the shard', async () => {
    await seedStaleTable();
    const puts = om.counters.puts;
    const { result } = await emulateRun(
      { parallelism: 2 },
      {
        maxPods: 1,
        // Killed once it has written to OpenMetadata: a deleted / evicted / OOM-killed pod.
        fault: onShard(1, () => ({ killWhen: untilPuts(() => om.counters.puts, 1) })),
      },
    );
    expect(
      podsOf(result, 'process')
        .filter((p) => p.index === 1)
        .map((p) => p.phase),
    ).toEqual(['Error', 'Error']);
    expect(om.counters.puts).toBeGreaterThan(puts);
    expectIncompleteRun(result, 'shard 1');
  }, 180_000);

  it('completes when a retried shard had already written entities: every table once, then mark-deleted', async () => {
    await seedStaleTable();
    const { result } = await emulateRun(
      { parallelism: 4 },
      // One pod at a time, so the PUTs seen after the pod started are its own: killed after writing.
      { maxPods: 1, fault: onShard(2, () => ({ killWhen: untilPuts(() => om.counters.puts, 1) }), [0]) },
    );
    expect(result.phase).toBe('Succeeded');
    expect(
      podsOf(result, 'process')
        .filter((p) => p.index === 2)
        .map((p) => p.phase),
    ).toEqual(['Error', 'Succeeded']);
    expect(liveTables()).toEqual(TABLES);
    expect(goneIsDeleted()).toBe(true);
    expect(podsOf(result, 'finalize').map((p) => p.phase)).toEqual(['Succeeded']);
    expect(podsOf(result, 'finalize')[0]!.output).toMatch(/Succeeded: +12 \(100%\)/);
  }, 180_000);

  it('uses every parallel slot: 12 tables at parallelism 4 run 4 shard pods at once', async () => {
    await seedStaleTable();
    const { result } = await emulateRun({ parallelism: 4 });
    // K = max(parallelism 4, ceil(12 / 5)) = 4 shards (not ceil(12 / chunkSize 100) = 1), all at once.
    const shards = podsOf(result, 'process');
    expect(shards.length).toBeGreaterThanOrEqual(4);
    expect(result.maxConcurrentPods).toBe(4);
    expect(result.phase).toBe('Succeeded');
    expect(liveTables()).toEqual(TABLES);
    expect(goneIsDeleted()).toBe(true);
  }, 180_000);

  it("names in finalize's summary the tables discover could not ingest for their names", async () => {
    await seedStaleTable();
    await pg.query('create table sales."odd::name" (id int)');
    try {
      const { result } = await emulateRun({ parallelism: 2 });
      expect(result.phase).toBe('Succeeded');
      const summary = podsOf(result, 'finalize')[0]!.output;
      expect(summary).toMatch(/Entities found: +12\n/);
      expect(summary).toMatch(/Not ingested: +1 \(names OpenMetadata cannot take; not failures, not deletions\)\n/);
      expect(summary).toContain(`- ${SERVICE}.${pg.database}.sales.odd::name: OpenMetadata names may not contain "::"`);
      // Not a failure, and no deletion: mark-deleted still ran after the complete run.
      expect(goneIsDeleted()).toBe(true);
    } finally {
      await pg.query('drop table sales."odd::name"');
    }
  }, 180_000);

  it('stops at the deadline: no finalize, nothing marked deleted', async () => {
    await seedStaleTable();
    // An OpenMetadata that accepts connections and never answers: shard pods hang (60 s request timeout)
    // until activeDeadlineSeconds.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const { result } = await emulateRun(
        { parallelism: 2 },
        {
          deadlineSeconds: 12,
          fault: (pod) =>
            pod.step === 'process' ? { env: { OM_HOST_PORT: `http://127.0.0.1:${port}/api` } } : undefined,
        },
      );
      expect(result.phase).toBe('Failed');
      expect(result.message).toMatch(/deadline/);
      expect(podsOf(result, 'finalize')).toEqual([]);
      expect(om.counters.deletes).toBe(0);
      expect(goneIsDeleted()).toBe(false);
    } finally {
      silent.close();
    }
  }, 180_000);
});

/** Resolves once `count()` has grown by `more` since the call (polls every 10 ms). */
function untilPuts(count: () => number, more: number): Promise<void> {
  const start = count();
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (count() >= start + more) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
    timer.unref();
  });
}
