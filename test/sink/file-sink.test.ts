import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/util/logger.js';
import { FileSink, OpenMetadataSink, SinkError, createSink } from '../../src/sink/index.js';
import { sinkTestConfig } from './config.js';
import { databaseParents, table } from './fixtures.js';

const MARKER = 'MARKER-JWT-file-0c9d8e';
const dir = mkdtempSync(join(tmpdir(), 'argo-ingest-file-sink-'));
const logLines: string[] = [];
const logger = createLogger('DEBUG', (line) => logLines.push(line));

function readLines(path: string): { kind: string; fqn: string; body: Record<string, unknown> }[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { kind: string; fqn: string; body: Record<string, unknown> });
}

describe('file sink', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is chosen by sink.type file, and metadata-rest gives the REST sink', () => {
    const filename = join(dir, 'choose.jsonl');
    const config = sinkTestConfig({ hostPort: 'http://127.0.0.1:9/api', token: MARKER, filename });
    expect(createSink(config, { logger })).toBeInstanceOf(FileSink);
    const rest = sinkTestConfig({ hostPort: 'http://127.0.0.1:9/api', token: MARKER });
    expect(createSink(rest, { logger })).toBeInstanceOf(OpenMetadataSink);
  });

  it('writes one JSON line per upsert under concurrency, and flushes on close', async () => {
    const filename = join(dir, 'nested', 'dry-run.jsonl');
    const sink = createSink(sinkTestConfig({ hostPort: 'http://127.0.0.1:9/api', token: MARKER, filename }), {
      logger,
    });
    await sink.check();
    for (const r of databaseParents()) expect(await sink.upsert(r)).toBe('created');
    const names = Array.from({ length: 1000 }, (_, i) => `t${i}`);
    const results = await Promise.all(names.map((n) => sink.upsert(table(n, undefined, 'x'.repeat(200)))));
    expect(results.every((r) => r === 'created')).toBe(true);
    expect(await sink.upsert(table('t7'))).toBe('updated');
    await sink.close();

    const lines = readLines(filename);
    expect(lines).toHaveLength(3 + 1000 + 1);
    expect(lines[0]).toMatchObject({ kind: 'databaseService', fqn: 'pg_test', body: { name: 'pg_test' } });
    expect(new Set(lines.filter((l) => l.kind === 'table').map((l) => l.fqn)).size).toBe(1000);
    expect(lines.at(-1)).toMatchObject({ kind: 'table', fqn: 'pg_test.shop.public.t7' });
    expect(Object.keys(lines[3]!)).toEqual(['kind', 'fqn', 'body']);
    expect(sink.listEntities).toBeUndefined();
  });

  it('appends on a second run and reports the FQNs already in the file as updated', async () => {
    const filename = join(dir, 'rerun.jsonl');
    const first = new FileSink({ filename, logger });
    expect(await first.upsert(table('a'))).toBe('created');
    await first.close();
    const second = new FileSink({ filename, logger });
    expect(await second.upsert(table('a'))).toBe('updated');
    expect(await second.upsert(table('b'))).toBe('created');
    await second.close();
    expect(readLines(filename).map((l) => l.fqn)).toEqual([
      'pg_test.shop.public.a',
      'pg_test.shop.public.a',
      'pg_test.shop.public.b',
    ]);
  });

  it('ends an unwritable filename in one sentence naming the file and the setting', async () => {
    const blocker = join(dir, 'not-a-directory');
    writeFileSync(blocker, 'x');
    const sink = new FileSink({ filename: join(blocker, 'out.jsonl'), logger });
    const error = await sink.check().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SinkError);
    const message = (error as SinkError).message;
    expect(message).toContain('not-a-directory');
    expect(message).toContain('sink.config.filename');
    expect(message).not.toContain('\n');
  });

  it('writes neither the token nor the source password into the file or the logs', async () => {
    const filename = join(dir, 'secrets.jsonl');
    const sink = createSink(sinkTestConfig({ hostPort: 'http://127.0.0.1:9/api', token: MARKER, filename }), {
      logger,
    });
    for (const r of databaseParents()) await sink.upsert(r);
    await sink.close();
    const text = readFileSync(filename, 'utf8');
    expect(text).toContain('"username":"ingest"');
    expect(text).not.toContain('never-sent');
    expect(text).not.toContain(MARKER);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(MARKER);
  });
});
