import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { TEST_ENV, configYaml } from './support/fakes.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-cmd-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('argo-ingest run', () => {
  it('names the config file and the missing variables, and exits 2 before connecting anywhere', async () => {
    const file = join(dir, 'c.yaml');
    await writeFile(file, configYaml());
    const result = await runCli(['run', '-c', file], { PG_PASSWORD: undefined, OM_TOKEN: undefined });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: ${file}: environment variables OM_TOKEN, PG_PASSWORD are not set`);
  });

  it('refuses Argo-only options in LOCAL mode, naming the ones given', async () => {
    const file = join(dir, 'c.yaml');
    await writeFile(file, configYaml());
    const result = await runCli(['run', '-c', file, '--namespace', 'prod'], TEST_ENV);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: --namespace: for orchestrator: argo only; this config runs in LOCAL mode ' +
        '(set workflowConfig.distributedExecution.orchestrator: argo, or drop the option)\n',
    );
    const waiting = await runCli(['run', '-c', file, '--wait'], TEST_ENV);
    expect(waiting.code).toBe(2);
    expect(waiting.stderr).toMatch(/^error: --wait: for orchestrator: argo only;/);
  });

  it('turns an unreachable OpenMetadata server into one sentence and exit 1', async () => {
    const file = join(dir, 'c.yaml');
    await writeFile(file, configYaml().replace('http://localhost:8585/api', 'http://127.0.0.1:1/api'));
    const result = await runCli(['run', '-c', file], TEST_ENV);
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('127.0.0.1:1');
    for (const secret of Object.values(TEST_ENV)) expect(result.stderr).not.toContain(secret);
  });
});
