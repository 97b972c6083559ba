/**
 * `argo-ingest demo --serve`: the embedded PostgreSQL with the sample estate is a source that `emulate`
 * (and `run`) can ingest from, as the README shows: the printed variables point
 * examples/postgres-distributed.yaml at it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveInstructions, startDemoServer, type DemoServer } from '../../src/demo/serve.js';
import { runCli } from '../support/cli.js';

let server: DemoServer;
let dir: string;

beforeAll(async () => {
  server = await startDemoServer({ schemas: 1, tablesPerSchema: 3 });
  dir = await mkdtemp(join(tmpdir(), 'demo-serve-'));
}, 120_000);

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The `export` line serveInstructions prints, as an environment. */
function printedEnv(text: string): Record<string, string> {
  const line = text.split('\n').find((l) => l.trim().startsWith('export '));
  expect(line, text).toBeDefined();
  return Object.fromEntries(
    line!
      .trim()
      .slice('export '.length)
      .split(/\s+/)
      .map((pair) => pair.split('=') as [string, string]),
  );
}

describe('argo-ingest demo --serve', () => {
  it('prints variables with which emulate ingests the whole sample estate from it', { timeout: 180_000 }, async () => {
    const text = serveInstructions(server);
    const env = printedEnv(text);
    expect(env.POSTGRES_HOST_PORT).toBe(server.embedded.hostPort);
    const output = join(dir, 'out.jsonl');
    const result = await runCli(
      [
        'emulate',
        '-c',
        'examples/postgres-distributed.yaml',
        '--sink-file',
        output,
        '--max-pods',
        '1',
        '--no-pod-logs',
      ],
      env,
    );
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stdout + result.stderr).toMatch(/Workflow warehouse-pg: Succeeded/);
    const tables = (await readFile(output, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; fqn: string })
      .filter((request) => request.kind === 'table');
    expect(new Set(tables.map((t) => t.fqn)).size).toBe(server.estate.entityCount);
  });

  it('refuses a port out of range with a usage error', async () => {
    const result = await runCli(['demo', '--serve', '--port', '70000']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--port must be a whole number from 0 to 65535/);
  });
});
