import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseWorkerArgs } from '../../src/cli/commands/worker.js';
import { runWorkerStep } from '../../src/runtime/worker.js';
import {
  CONFIG_PATH,
  RESULTS_FILE,
  RESULT_MAX_BYTES,
  decodeShardResult,
  encodeShardResult,
  type ShardResult,
  WORK_DIR,
  discoverArgs,
  encodeNotIngested,
  finalizeArgs,
  processArgs,
} from '../../src/runtime/worker-contract.js';
import { runCli } from '../support/cli.js';
import { FakeSource, MemorySink, TEST_ENV, configYaml, estate, recordingLogger } from './support/fakes.js';

let dir: string;
let configFile: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'worker-'));
  configFile = join(dir, 'config.yaml');
  await writeFile(configFile, configYaml({ parallelism: 2, chunkSize: 10, shardFactor: 2 }));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('worker steps', () => {
  it('discover -> process every shard -> finalize, through the files and arguments the template uses', async () => {
    const fqns = estate(3, 20);
    const sink = new MemorySink();
    const source = new FakeSource(fqns);
    const deps = {
      env: { ...TEST_ENV },
      logger: recordingLogger(),
      open: async () => ({ source, sink, close: async () => {} }),
    };
    const out = join(dir, 'out');
    await runWorkerStep({ step: 'discover', config: configFile, outputDir: out }, deps);
    const shards = await readFile(join(out, 'shards'), 'utf8');
    const entities = await readFile(join(out, 'entities'), 'utf8');
    expect({ shards, entities }).toEqual({ shards: '4', entities: '60' });

    const results: ShardResult[] = [];
    for (let shard = 0; shard < Number(shards); shard++) {
      const progress = join(dir, `progress-${shard}`);
      const shardDir = join(dir, `shard-${shard}`);
      await runWorkerStep(
        { step: 'process', config: configFile, shard, shards: Number(shards), outputDir: shardDir },
        { ...deps, env: { ...TEST_ENV, ARGO_PROGRESS_FILE: progress } },
      );
      const line = await readFile(join(shardDir, 'result'), 'utf8');
      const result = decodeShardResult(line)!;
      expect(line.length).toBeLessThanOrEqual(RESULT_MAX_BYTES);
      expect(await readFile(progress, 'utf8')).toBe(`${result.entities}/${result.entities}`);
      results.push(result);
    }
    expect(sink.live()).toEqual(fqns.slice().sort());

    const printed: string[] = [];
    await runWorkerStep(
      {
        step: 'finalize',
        config: configFile,
        // As Argo aggregates them: `{{steps.process.outputs.parameters}}`.
        results: { json: JSON.stringify(results.map((r) => ({ result: encodeShardResult(r) }))) },
        entities: Number(entities),
        shards: Number(shards),
      },
      { ...deps, write: (t) => printed.push(t) },
    );
    expect(printed.join('')).toMatch(/Ingestion summary \(DISTRIBUTED mode\)[\s\S]*Succeeded: +60 \(100%\)/);
  });

  it('finalize exits non-zero under the threshold, after printing the summary', async () => {
    const printed: string[] = [];
    const result = {
      shard: 0,
      shards: 1,
      entities: 10,
      succeeded: 5,
      failed: 5,
      created: 5,
      updated: 0,
      failures: [{ fqn: 'svc.db.s0.t1', error: 'bad type' }],
      durationMs: 3,
    };
    await expect(
      runWorkerStep(
        { step: 'finalize', config: configFile, results: { json: JSON.stringify([result]) }, entities: 10 },
        {
          env: { ...TEST_ENV },
          logger: recordingLogger(),
          write: (t) => printed.push(t),
          open: async () => ({ source: new FakeSource([]), sink: new MemorySink(), close: async () => {} }),
        },
      ),
    ).rejects.toThrow(/50% of entities succeeded, under workflowConfig.successThreshold 90%/);
    expect(printed.join('')).toContain('svc.db.s0.t1: bad type');
  });

  it('names a missing variable instead of connecting', async () => {
    await expect(
      runWorkerStep(
        { step: 'discover', config: configFile, outputDir: dir },
        {
          env: { PG_PASSWORD: 'x' },
          logger: recordingLogger(),
          open: () => Promise.reject(new Error('must not open')),
        },
      ),
    ).rejects.toThrow(/OM_TOKEN is not set/);
  });
});

describe('worker command line', () => {
  it('parses the contract command lines into the steps they run', async () => {
    expect(await parseWorkerArgs(discoverArgs())).toEqual({
      step: 'discover',
      config: CONFIG_PATH,
      outputDir: WORK_DIR,
    });
    expect(await parseWorkerArgs(processArgs('3', '8'))).toEqual({
      step: 'process',
      config: CONFIG_PATH,
      shard: 3,
      shards: 8,
      outputDir: WORK_DIR,
    });
    expect(await parseWorkerArgs(finalizeArgs('42', '3'))).toEqual({
      step: 'finalize',
      config: CONFIG_PATH,
      results: { file: RESULTS_FILE },
      entities: 42,
      shards: 3,
    });
    expect(
      await parseWorkerArgs(['worker', 'finalize', '--config', 'c.yaml', '--results', '[]', '--entities', '0']),
    ).toMatchObject({ results: { json: '[]' } });
    await expect(parseWorkerArgs(['worker', 'finalize', '--config', 'c.yaml', '--entities', '0'])).rejects.toThrow(
      /exactly one of --results-file FILE or --results JSON/,
    );
    const notIngested = encodeNotIngested({ count: 2, listed: [{ fqn: 'a.b."c::d"', problem: 'no ::' }] });
    expect(await parseWorkerArgs(finalizeArgs('42', '3', notIngested))).toMatchObject({
      notIngested: { count: 2, listed: [{ fqn: 'a.b."c::d"', problem: 'no ::' }] },
    });
    await expect(parseWorkerArgs(finalizeArgs('42', '3', '{"count":"x"}'))).rejects.toThrow(
      /--not-ingested must be the JSON discover writes/,
    );
  });

  it('rejects a shard that is not a whole number, naming the option', async () => {
    const result = await runCli(['worker', 'process', '--config', configFile, '--shard', 'x', '--shards', '2']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--shard must be a whole number >= 0, not "x"');
  });

  it('reports bad --results in one sentence and a non-zero exit', async () => {
    const result = await runCli(
      ['worker', 'finalize', '--config', configFile, '--results', '{oops', '--entities', '3'],
      TEST_ENV,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "error: --results is not JSON; pass the JSON list of the shards' result.json contents\n",
    );
  });
});
