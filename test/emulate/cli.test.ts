/** `argo-ingest emulate`: bad input fails before any pod runs, with a message naming the field. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { emulatedVersion } from '../../src/cli/commands/emulate.js';
import { runCli } from '../support/cli.js';
import { baseConfig } from '../manifests/fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulate-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function configFile(distributed: Record<string, unknown>): Promise<string> {
  const file = join(dir, `c-${Object.keys(distributed).join('-') || 'base'}.yaml`);
  await writeFile(file, stringify(baseConfig(distributed)));
  return file;
}

describe('argo-ingest emulate', () => {
  it('refuses a config that does not run on Argo, naming the key (exit 2)', async () => {
    const { code, stderr } = await runCli(['emulate', '-c', await configFile({ orchestrator: 'local' })]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/orchestrator: argo/);
  });

  it('names the variables missing from the environment, never a value (exit 2)', async () => {
    const env = { PG_HOST_PORT: 'h:5432', PG_USER: 'u', PG_PASSWORD: 'secret-marker-51c', OM_JWT_TOKEN: undefined };
    const { code, stderr } = await runCli(['emulate', '-c', await configFile({})], env);
    expect(code).toBe(2);
    expect(stderr).toMatch(/OM_JWT_TOKEN/);
    expect(stderr).not.toContain('secret-marker-51c');
  });

  it('rejects a bad --max-pods and --argo-version', async () => {
    const file = await configFile({});
    expect((await runCli(['emulate', '-c', file, '--max-pods', '0'])).code).toBe(2);
    expect(() => emulatedVersion('latest')).toThrow(/--argo-version/);
    expect(emulatedVersion('3.7')).toBe('3.7.18');
    expect(emulatedVersion('v4.1')).toBe('4.1.2');
    expect(emulatedVersion('4.0.3')).toBe('4.0.3');
  });
});
