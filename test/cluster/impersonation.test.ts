/**
 * A kubeconfig user's `as` / `as-uid` / `as-groups` / `as-user-extra`, sent as client-go sends them
 * (transport/round_trippers.go impersonatingRoundTripper, headerKeyEscape) on every request, and only
 * when `as` names a user (clientcmd DirectClientConfig.ClientConfig).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDistributed } from '../../src/cluster/index.js';
import { impersonationHeaders } from '../../src/cluster/kube-client.js';
import { kubeconfigYaml, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { capturingLogger, pipelineConfig, tempDir } from './fixtures.js';

const NS = 'openmetadata';
const TOKEN = 'impersonation-test-token';

describe('impersonation from the kubeconfig', () => {
  const dir = tempDir();
  let kube: KubeApiServer;
  beforeAll(async () => {
    kube = await startKubeApiServer({ namespaces: [NS], token: TOKEN });
  });
  afterAll(async () => {
    await kube.close();
    dir.remove();
  });

  const kubeconfig = (name: string, userLines: string[]) =>
    dir.write(
      name,
      kubeconfigYaml(kube.url, TOKEN).replace(
        `      token: ${TOKEN}`,
        [`      token: ${TOKEN}`, ...userLines].join('\n'),
      ),
    );

  it('acts as the `as` user with its uid, groups and extras on every request', async () => {
    const file = kubeconfig('as.yaml', [
      '      as: system:serviceaccount:ci:deployer',
      '      as-uid: 4f1c9e2a',
      '      as-groups: [platform-admins, "system:authenticated"]',
      '      as-user-extra:',
      '        scopes: [view, edit]',
      '        "example.com/team name": [data]',
    ]);
    const logger = capturingLogger();
    const before = kube.requests.length;
    expect(await runDistributed(pipelineConfig(), { logger, kubeconfig: file, env: {} })).toBe(0);
    const sent = kube.requests.slice(before);
    expect(sent.length).toBeGreaterThan(3);
    for (const request of sent) {
      expect(request.impersonation, `${request.method} ${request.path}`).toEqual({
        'impersonate-user': ['system:serviceaccount:ci:deployer'],
        'impersonate-uid': ['4f1c9e2a'],
        'impersonate-group': ['platform-admins', 'system:authenticated'],
        'impersonate-extra-scopes': ['view', 'edit'],
        'impersonate-extra-example.com%2Fteam%20name': ['data'],
      });
    }
    expect(logger.text()).toContain('as "system:serviceaccount:ci:deployer" (impersonated');
  });

  it('sends no Impersonate headers when only as-groups is set, as kubectl', async () => {
    const file = kubeconfig('groups-only.yaml', ['      as-groups: [platform-admins]']);
    const before = kube.requests.length;
    expect(await runDistributed(pipelineConfig(), { logger: capturingLogger(), kubeconfig: file, env: {} })).toBe(0);
    expect(kube.requests.slice(before).every((r) => r.impersonation === undefined)).toBe(true);
  });

  it('escapes an extra key as client-go does: non-token bytes and % itself', () => {
    const headers = impersonationHeaders({ user: 'u', groups: [], extra: { 'a%b': ['1'], 'ü:x': ['2'], empty: [] } });
    expect(headers).toEqual({
      'impersonate-user': 'u',
      'impersonate-extra-a%25b': ['1'],
      'impersonate-extra-%C3%BC%3Ax': ['2'],
    });
  });
});
