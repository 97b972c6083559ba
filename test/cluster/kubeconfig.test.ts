/**
 * Kubeconfigs that kubectl accepts: a plain-http server (`kubectl proxy`), exec credential plugins that
 * succeed, fail, are missing or hang, merged KUBECONFIG lists, client certificates, the in-cluster
 * identity, and a mistyped --context.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDistributed } from '../../src/cluster/index.js';
import { credentialProvider } from '../../src/cluster/credentials.js';
import { loadKubeConfig } from '../../src/cluster/kubeconfig.js';
import { runCli } from '../support/cli.js';
import { startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { capturingLogger, pipelineConfig, pipelineConfigText, tempDir, type TempDir } from './fixtures.js';

const NS = 'openmetadata';
const TOKEN = 'exec-token-MARKER-41c2';

/** A credential plugin written in JavaScript, run by this node binary. */
function plugin(dir: TempDir, name: string, body: string): { command: string; args: string[] } {
  return { command: process.execPath, args: [dir.write(name, body)] };
}

const EXEC_CREDENTIAL = (token: string) =>
  `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', ` +
  `status: { token: ${JSON.stringify(token)} } }));`;

describe('kubeconfig as kubectl reads it', () => {
  let kube: KubeApiServer;
  let dir: TempDir;

  beforeEach(async () => {
    kube = await startKubeApiServer({ namespaces: [NS], token: TOKEN });
    dir = tempDir();
  });
  afterEach(async () => {
    await kube.close();
    dir.remove();
  });

  it('talks to a plain-http server (kubectl proxy) without insecure-skip-tls-verify', async () => {
    const kubeconfig = kube.writeKubeconfig(dir.path);
    expect(readFileSync(kubeconfig, 'utf8')).not.toContain('insecure');
    expect(await runDistributed(pipelineConfig(), { logger: capturingLogger(), kubeconfig })).toBe(0);
    expect(kube.list('Workflow', NS)).toHaveLength(1);
  });

  it('runs an exec credential plugin and sends its token, with KUBERNETES_EXEC_INFO set', async () => {
    const info = join(dir.path, 'exec-info.json');
    const exec = plugin(
      dir,
      'ok.cjs',
      `require('fs').writeFileSync(${JSON.stringify(info)}, process.env.KUBERNETES_EXEC_INFO); ${EXEC_CREDENTIAL(TOKEN)}`,
    );
    const kubeconfig = kube.writeKubeconfig(dir.path, { exec });
    const logger = capturingLogger();
    expect(await runDistributed(pipelineConfig(), { logger, kubeconfig })).toBe(0);
    expect(kube.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(JSON.parse(readFileSync(info, 'utf8'))).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: { interactive: false },
    });
    expect(logger.text()).not.toContain(TOKEN);
  });

  it('explains a failing plugin with its stderr, exit 1, no "bug" message', async () => {
    const exec = plugin(
      dir,
      'fail.cjs',
      `process.stderr.write('error: SSO session expired; run aws sso login\\n'); process.exit(3);`,
    );
    const kubeconfig = kube.writeKubeconfig(dir.path, { exec });
    const file = dir.write('pipeline.yaml', pipelineConfigText());
    const result = await runCli(['run', '-c', file, '--kubeconfig', kubeconfig]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('exec credential plugin');
    expect(result.stderr).toContain('failed (exit code 3)');
    expect(result.stderr).toContain('SSO session expired; run aws sso login');
    expect(result.stderr).not.toContain('This is a bug');
    expect(kube.requests).toHaveLength(0);
  });

  it('explains a missing plugin with its installHint', async () => {
    const kubeconfig = kube.writeKubeconfig(dir.path, {
      exec: {
        command: 'gke-gcloud-auth-plugin-not-installed',
        installHint: 'Install gke-gcloud-auth-plugin with gcloud components install',
      },
    });
    const file = dir.write('pipeline.yaml', pipelineConfigText());
    const result = await runCli(['run', '-c', file, '--kubeconfig', kubeconfig]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"gke-gcloud-auth-plugin-not-installed"');
    expect(result.stderr).toContain('was not found');
    expect(result.stderr).toContain('Install gke-gcloud-auth-plugin with gcloud components install');
    expect(result.stderr).not.toContain('This is a bug');
  });

  it('stops a plugin that hangs after the timeout, ends its process, and says so', async () => {
    const pidFile = join(dir.path, 'pid');
    const exec = plugin(
      dir,
      'hang.cjs',
      `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); process.stderr.write('waiting for browser login\\n'); setInterval(() => {}, 1000);`,
    );
    const kubeconfig = kube.writeKubeconfig(dir.path, { exec });
    const file = dir.write('pipeline.yaml', pipelineConfigText());
    const started = Date.now();
    const result = await runCli(['run', '-c', file, '--kubeconfig', kubeconfig, '--exec-timeout', '1']);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('did not answer within 1s and was stopped');
    expect(result.stderr).toContain('waiting for browser login');
    expect(result.stderr).not.toContain('This is a bug');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('ends a running plugin on Ctrl-C', async () => {
    const pidFile = join(dir.path, 'pid');
    const exec = plugin(
      dir,
      'hang2.cjs',
      `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000);`,
    );
    const kubeconfig = kube.writeKubeconfig(dir.path, { exec });
    const controller = new AbortController();
    const running = runDistributed(pipelineConfig(), {
      logger: capturingLogger(),
      kubeconfig,
      signal: controller.signal,
    });
    for (let i = 0; i < 100 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await expect(running).rejects.toThrow(/exec credential plugin .* was stopped \(interrupted\)/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('refuses a plugin answer of another apiVersion', async () => {
    const exec = plugin(
      dir,
      'old.cjs',
      `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: 't' } }));`,
    );
    const kubeconfig = kube.writeKubeconfig(dir.path, { exec });
    await expect(runDistributed(pipelineConfig(), { logger: capturingLogger(), kubeconfig })).rejects.toThrow(
      /answered client.authentication.k8s.io\/v1beta1 ExecCredential, not client.authentication.k8s.io\/v1/,
    );
  });

  it('makes a mistyped --context a command-line error (exit 2) that lists the contexts', async () => {
    const kubeconfig = kube.writeKubeconfig(dir.path);
    const file = dir.write('pipeline.yaml', pipelineConfigText());
    const result = await runCli(['run', '-c', file, '--kubeconfig', kubeconfig, '--context', 'prdo']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('context "prdo" is not in the kubeconfig');
    expect(result.stderr).toContain('use one of: test');
    expect(kube.requests).toHaveLength(0);
  });

  it('merges KUBECONFIG lists like kubectl: the first file that names an entry wins, missing files are skipped, relative token-file paths follow their file', () => {
    dir.write('token', 'file-token\n');
    const first = dir.write(
      'first',
      'current-context: a\ncontexts:\n- name: a\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user: {token-file: token}\n',
    );
    const second = dir.write(
      'second',
      'current-context: b\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:1"}\ncontexts:\n- name: a\n  context: {cluster: other}\n',
    );
    const env = { KUBECONFIG: [first, join(dir.path, 'missing'), second].join(':'), HOME: dir.path };
    const loaded = loadKubeConfig({ env });
    expect(loaded.context).toBe('a');
    expect(loaded.server).toBe('http://127.0.0.1:1');
    expect(loaded.user.tokenFile).toBe(join(dir.path, 'token'));
  });

  it('uses client certificates from -data fields', async () => {
    const cert = Buffer.from('-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n').toString('base64');
    const key = Buffer.from('-----BEGIN PRIVATE KEY-----\ndef\n-----END PRIVATE KEY-----\n').toString('base64');
    const file = dir.write(
      'certs',
      `current-context: a\nclusters:\n- name: c\n  cluster: {server: "https://k8s.example:6443"}\ncontexts:\n- name: a\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user: {client-certificate-data: ${cert}, client-key-data: ${key}}\n`,
    );
    const loaded = loadKubeConfig({ kubeconfig: file, env: {} });
    const creds = await credentialProvider(loaded.user, loaded.cluster, { context: loaded.context }).get();
    expect(creds.cert).toContain('BEGIN CERTIFICATE');
    expect(creds.key).toContain('BEGIN PRIVATE KEY');
    expect(creds.authorization).toBeUndefined();
  });

  it("uses the pod's ServiceAccount when there is no kubeconfig", async () => {
    dir.write('token', 'sa-token');
    dir.write('namespace', 'ingest');
    const loaded = loadKubeConfig({
      env: { HOME: join(dir.path, 'nohome'), KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
      inClusterDir: dir.path,
    });
    expect(loaded.server).toBe('https://10.0.0.1:443');
    expect(loaded.context).toBe('in-cluster');
    expect(loaded.namespace).toBe('ingest');
    const creds = await credentialProvider(loaded.user, loaded.cluster, { context: loaded.context }).get();
    expect(creds.authorization).toBe('Bearer sa-token');
    expect(existsSync(join(dir.path, 'token'))).toBe(true);
  });
});
