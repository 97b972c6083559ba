/**
 * The worker command lines come from the synthesized WorkflowTemplate itself (not from a copy of the
 * contract): each container's args must parse with `argo-ingest worker`, and the files the steps write
 * must be the files the template reads as output parameters. Then the steps run with those arguments,
 * with Argo's substitutions simulated, to the end of a run.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkerArgs } from '../../src/cli/commands/worker.js';
import { loadConfigFile } from '../../src/config/load.js';
import { synthPipelineObjects } from '../../src/manifests/index.js';
import { runWorkerStep } from '../../src/runtime/worker.js';
import { CONFIG_PATH, RESULTS_FILE, WORKER_BINARY, WORK_DIR } from '../../src/runtime/worker-contract.js';
import { FakeSource, MemorySink, TEST_ENV, configYaml, estate, recordingLogger } from './support/fakes.js';

interface Template {
  name: string;
  inputs?: { artifacts?: { name: string; path: string; raw?: { data: string } }[] };
  container?: { command?: string[]; args?: string[]; volumeMounts?: { mountPath: string }[] };
  outputs?: { parameters?: { name: string; valueFrom?: { path?: string } }[] };
}

/** discover's not-ingested output when every name was fine. */
const NONE = '{"count":0,"listed":[]}';

let dir: string;
let templates: Map<string, Template>;
let configFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'template-args-'));
  configFile = join(dir, 'pipeline.yaml');
  await writeFile(
    configFile,
    configYaml({ orchestrator: 'argo', parallelism: 2, chunkSize: 10 }).replace(
      '  distributedExecution:',
      '  distributedExecution:\n    namespace: ingest',
    ),
  );
  const objects = synthPipelineObjects(loadConfigFile(configFile));
  const template = objects.find((o) => o.kind === 'WorkflowTemplate') as
    { spec: { templates: Template[] } } | undefined;
  if (!template) throw new Error('no WorkflowTemplate synthesized');
  templates = new Map(template.spec.templates.map((t) => [t.name, t]));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Every container's command line, with Argo's `{{...}}` replaced from `values`. */
function commandLines(values: Record<string, string>): { template: Template; args: string[] }[] {
  return [...templates.values()]
    .filter((t) => t.container)
    .map((template) => {
      const [binary, ...rest] = [...(template.container!.command ?? []), ...(template.container!.args ?? [])];
      expect(binary).toBe(WORKER_BINARY);
      const args = rest.map((arg) =>
        arg.replace(/\{\{inputs\.parameters\.([\w-]+)\}\}/g, (_, name: string) => {
          if (!(name in values)) throw new Error(`no value for ${name} in ${template.name}`);
          return values[name]!;
        }),
      );
      return { template, args };
    });
}

describe('the WorkflowTemplate runs the worker commands', () => {
  it('has a discover, a process and a finalize step whose args parse', async () => {
    const parsed = await Promise.all(
      commandLines({ shard: '1', shards: '4', results: '[]', entities: '12', 'not-ingested': NONE }).map((c) =>
        parseWorkerArgs(c.args),
      ),
    );
    expect(parsed.map((p) => p.step).sort()).toEqual(['discover', 'finalize', 'process']);
    expect(parsed.find((p) => p.step === 'process')).toMatchObject({ shard: 1, shards: 4 });
    expect(parsed.find((p) => p.step === 'finalize')).toMatchObject({
      results: { file: RESULTS_FILE },
      entities: 12,
      notIngested: { count: 0, listed: [] },
    });
    for (const invocation of parsed) expect(invocation.config).toBe(CONFIG_PATH);
  });

  it('reads its output parameters from the files the steps write', async () => {
    for (const { template, args } of commandLines({ shard: '0', shards: '1', entities: '0', 'not-ingested': NONE })) {
      const invocation = await parseWorkerArgs(args);
      const outputs = template.outputs?.parameters ?? [];
      if (invocation.step === 'finalize') {
        expect(outputs).toEqual([]);
        continue;
      }
      expect(invocation.outputDir).toBe(WORK_DIR);
      const expected =
        invocation.step === 'discover'
          ? {
              shards: join(WORK_DIR, 'shards'),
              entities: join(WORK_DIR, 'entities'),
              'not-ingested': join(WORK_DIR, 'not-ingested'),
            }
          : { result: join(WORK_DIR, 'result') };
      expect(Object.fromEntries(outputs.map((o) => [o.name, o.valueFrom?.path]))).toEqual(expected);
    }
  });

  it('mounts the config where the args say it is', () => {
    for (const { template } of commandLines({ shard: '0', shards: '1', entities: '0', 'not-ingested': NONE })) {
      const mounts = template.container!.volumeMounts ?? [];
      expect(mounts.some((m) => CONFIG_PATH.startsWith(`${m.mountPath}/`))).toBe(true);
    }
  });

  it('completes a run with the template args, outputs passed on as Argo would', async () => {
    const fqns = estate(3, 17);
    const sink = new MemorySink();
    // One name OpenMetadata cannot take: discover leaves it out, and finalize's summary names it.
    const source = new FakeSource([...fqns, 'svc.db.s0.bad::name']);
    const deps = {
      env: { ...TEST_ENV },
      logger: recordingLogger(),
      open: async () => ({ source, sink, close: async () => {} }),
    };
    const work = join(dir, 'pod');
    // A pod's paths, moved into the test's temp dir.
    const resultsFile = join(work, 'results.json');
    const local = (args: string[]) =>
      args.map((a) => a.replace(CONFIG_PATH, configFile).replace(WORK_DIR, work).replace(RESULTS_FILE, resultsFile));
    const lines = (values: Record<string, string>) =>
      new Map(commandLines(values).map((c) => [c.template.name, local(c.args)]));

    const discoverArgs = [...lines({ shard: '0', shards: '1', entities: '0', 'not-ingested': NONE }).values()].find(
      (a) => a.includes('discover'),
    )!;
    await runWorkerStep(await parseWorkerArgs(discoverArgs), deps);
    const shards = await readFile(join(work, 'shards'), 'utf8');
    const entities = await readFile(join(work, 'entities'), 'utf8');
    const notIngested = await readFile(join(work, 'not-ingested'), 'utf8');

    const results: { result: string }[] = [];
    for (let shard = 0; shard < Number(shards); shard++) {
      const processArgs = [...lines({ shard: String(shard), shards, entities, 'not-ingested': NONE }).values()].find(
        (a) => a.includes('process'),
      )!;
      await runWorkerStep(await parseWorkerArgs(processArgs), deps);
      results.push({ result: await readFile(join(work, 'result'), 'utf8') });
    }
    // Argo writes the finalize step's raw argument artifact, substituted, where the template says.
    expect(templates.get('finalize')!.inputs!.artifacts!.find((a) => a.name === 'results')!.path).toBe(RESULTS_FILE);
    await writeFile(resultsFile, JSON.stringify(results));
    const printed: string[] = [];
    const finalizeArgs = [...lines({ shard: '0', shards, entities, 'not-ingested': notIngested }).values()].find((a) =>
      a.includes('finalize'),
    )!;
    await runWorkerStep(await parseWorkerArgs(finalizeArgs), { ...deps, write: (t) => printed.push(t) });

    expect(Number(entities)).toBe(51);
    expect(sink.live()).toEqual(fqns.slice().sort());
    expect(printed.join('')).toMatch(/Succeeded: +51 \(100%\)/);
    expect(printed.join('')).toMatch(
      /Not ingested: +1 \(names OpenMetadata cannot take[^\n]*\n +- svc\.db\.s0\.bad::name: OpenMetadata names may not contain "::"/,
    );
  });
});
