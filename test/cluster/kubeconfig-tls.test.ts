/**
 * An https API server: the kubeconfig's certificate-authority(-data) is trusted, a client certificate
 * authenticates (relative file paths resolved against the kubeconfig's folder, as kubectl does), and
 * an untrusted server certificate is explained.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDistributed } from '../../src/cluster/index.js';
import { startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { makeTestCerts } from '../support/tls-certs.js';
import { capturingLogger, pipelineConfig, tempDir } from './fixtures.js';

const NS = 'openmetadata';

describe('kubeconfig over https', () => {
  const dir = tempDir();
  let kube: KubeApiServer;

  beforeAll(async () => {
    const certs = makeTestCerts(dir.path);
    kube = await startKubeApiServer({
      namespaces: [NS],
      token: 'unused-token',
      tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca },
    });
  });
  afterAll(async () => {
    await kube.close();
    dir.remove();
  });

  const kubeconfig = (cluster: string, user: string) =>
    dir.write(
      'kubeconfig',
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: tls',
        'clusters:',
        `- name: c`,
        `  cluster: {server: "${kube.url}", ${cluster}}`,
        'users:',
        `- name: u`,
        `  user: {${user}}`,
        'contexts:',
        '- name: tls',
        '  context: {cluster: c, user: u}',
        '',
      ].join('\n'),
    );

  it('trusts certificate-authority-data and authenticates with a client certificate given by relative paths', async () => {
    const ca = Buffer.from(readFileSync(join(dir.path, 'ca.crt'))).toString('base64');
    const file = kubeconfig(
      `certificate-authority-data: ${ca}`,
      'client-certificate: client.crt, client-key: client.key',
    );
    const code = await runDistributed(pipelineConfig(), { logger: capturingLogger(), kubeconfig: file });
    expect(code).toBe(0);
    expect(kube.list('Workflow', NS)).toHaveLength(1);
    expect(kube.requests.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('explains a server certificate it does not trust', async () => {
    const file = kubeconfig('insecure-skip-tls-verify: false', 'token: unused-token');
    await expect(runDistributed(pipelineConfig(), { logger: capturingLogger(), kubeconfig: file })).rejects.toThrow(
      /presented a certificate this client does not trust .*\n {2}Fix: set certificate-authority or certificate-authority-data/,
    );
  });
});
