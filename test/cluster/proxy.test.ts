/**
 * Proxies as kubectl uses them: a cluster's proxy-url, else HTTPS_PROXY / HTTP_PROXY with NO_PROXY
 * (rules of golang.org/x/net/http/httpproxy, cited in src/cluster/proxy.ts), through a real forward
 * proxy (test/support/connect-proxy.ts) to the Kubernetes API test server over https and http.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDistributed } from '../../src/cluster/index.js';
import { ProxySettingError, chooseProxy, useProxy } from '../../src/cluster/proxy.js';
import { startConnectProxy, type ConnectProxy, type ConnectProxyOptions } from '../support/connect-proxy.js';
import { kubeconfigYaml, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { makeTestCerts } from '../support/tls-certs.js';
import { capturingLogger, pipelineConfig, tempDir } from './fixtures.js';

const NS = 'openmetadata';
const TOKEN = 'proxy-test-token';

describe('which proxy a request to the API server takes', () => {
  const https = new URL('https://api.example.com:6443');

  it("takes the cluster's proxy-url over the environment, for loopback servers too, credentials split off", () => {
    const env = { HTTPS_PROXY: 'http://env-proxy:3128' };
    const choice = chooseProxy(https, 'http://alice:s3cr%40t@corp-proxy:8080', env, 'cluster "c"');
    expect(choice).toMatchObject({
      protocol: 'http:',
      host: 'corp-proxy',
      port: 8080,
      source: 'proxy-url of cluster "c"',
    });
    expect(choice?.display).toBe('http://corp-proxy:8080');
    expect(choice?.authorization).toBe(`Basic ${Buffer.from('alice:s3cr@t').toString('base64')}`);
    expect(chooseProxy(new URL('https://127.0.0.1:6443'), 'http://corp-proxy', env)).toMatchObject({ port: 80 });
    // A password that is not valid percent-encoding is sent as written.
    expect(chooseProxy(https, 'http://bob:50%zz@corp-proxy:8080', env)?.authorization).toBe(
      `Basic ${Buffer.from('bob:50%zz').toString('base64')}`,
    );
  });

  it('takes HTTPS_PROXY for https servers and HTTP_PROXY for http ones, upper case first, host:port as http', () => {
    const env = { HTTPS_PROXY: 'secure-proxy:3128', https_proxy: 'http://lower:1', HTTP_PROXY: 'http://plain:8080' };
    expect(chooseProxy(https, undefined, env)).toMatchObject({ host: 'secure-proxy', port: 3128, protocol: 'http:' });
    expect(chooseProxy(https, undefined, env)?.source).toBe('HTTPS_PROXY');
    expect(chooseProxy(https, undefined, { https_proxy: 'http://lower:1' })?.source).toBe('https_proxy');
    expect(chooseProxy(new URL('http://api.example.com:8080'), undefined, env)).toMatchObject({ host: 'plain' });
    expect(chooseProxy(https, undefined, { HTTP_PROXY: 'http://plain:8080' })).toBeUndefined();
    expect(chooseProxy(https, undefined, {})).toBeUndefined();
  });

  it('never takes an environment proxy to localhost or a loopback address', () => {
    const env = { HTTPS_PROXY: 'http://p:3128' };
    for (const server of [
      'https://localhost:6443',
      'https://127.0.0.1:6443',
      'https://127.3.2.1',
      'https://[::1]:6443',
    ])
      expect(chooseProxy(new URL(server), undefined, env), server).toBeUndefined();
  });

  it('follows NO_PROXY as httpproxy does: domains and subdomains, leading dots, ports, IPs, CIDRs, *', () => {
    const cases: [string, string, boolean][] = [
      ['https://api.example.com', 'example.com', false],
      ['https://example.com', 'example.com', false],
      ['https://api.example.com', '.example.com', false],
      ['https://example.com', '.example.com', true],
      ['https://api.example.com', '*.example.com', false],
      ['https://notexample.com', 'example.com', true],
      ['https://api.example.com:6443', 'api.example.com:6443', false],
      ['https://api.example.com:6443', 'api.example.com:443', true],
      ['https://api.example.com', 'api.example.com:443', false],
      ['https://10.1.2.3:6443', '10.1.2.3', false],
      ['https://10.1.2.3:6443', '10.0.0.0/8', false],
      ['https://11.1.2.3:6443', '10.0.0.0/8', true],
      ['https://[fd00::5]:6443', 'fd00::/8', false],
      ['https://[fd00::5]:6443', '[fd00::5]:6443', false],
      ['https://API.Example.com', ' other.org , EXAMPLE.com ', false],
      ['https://api.example.com', '*', false],
      ['https://api.example.com', '', true],
    ];
    for (const [server, noProxy, proxied] of cases)
      expect(useProxy(new URL(server), noProxy), `${server} / ${noProxy}`).toBe(proxied);
    expect(chooseProxy(https, undefined, { HTTPS_PROXY: 'http://p:3128', no_proxy: 'example.com' })).toBeUndefined();
  });

  it('refuses a SOCKS5 or unknown proxy-url with a sentence, and HTTP_PROXY in a CGI environment', () => {
    expect(() => chooseProxy(https, 'socks5://user:pw@socks:1080', {}, 'cluster "c"')).toThrow(
      /the proxy-url of cluster "c" is a SOCKS5 proxy \(socks5:\/\/socks:1080\), which argo-ingest does not support/,
    );
    expect(() => chooseProxy(https, 'socks5://user:pw@socks:1080', {})).not.toThrow(/pw/);
    expect(() => chooseProxy(https, 'ftp://files:21', {})).toThrow(ProxySettingError);
    expect(() => chooseProxy(https, 'ftp://files:21', {})).toThrow(/kubectl accepts http, https or socks5/);
    expect(() =>
      chooseProxy(new URL('http://api:8080'), undefined, { HTTP_PROXY: 'p:1', REQUEST_METHOD: 'GET' }),
    ).toThrow(/CGI/);
  });
});

describe('submitting through a proxy', () => {
  const dir = tempDir();
  let tlsKube: KubeApiServer;
  let plainKube: KubeApiServer;
  let ca: string;
  let certs: ReturnType<typeof makeTestCerts>;
  const proxies: ConnectProxy[] = [];
  const proxy = async (options: ConnectProxyOptions = {}) => {
    const p = await startConnectProxy(options);
    proxies.push(p);
    return p;
  };

  beforeAll(async () => {
    certs = makeTestCerts(dir.path);
    ca = Buffer.from(certs.ca).toString('base64');
    tlsKube = await startKubeApiServer({
      namespaces: [NS],
      token: TOKEN,
      tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca },
    });
    plainKube = await startKubeApiServer({ namespaces: [NS], token: TOKEN });
  });
  afterAll(async () => {
    await Promise.all([tlsKube.close(), plainKube.close(), ...proxies.map((p) => p.close())]);
    dir.remove();
  });

  const kubeconfig = (server: string, cluster: string) =>
    dir.write(
      `kubeconfig-${proxies.length}-${Math.random().toString(36).slice(2)}`,
      kubeconfigYaml(server, TOKEN).replace(`      server: ${server}`, `      server: ${server}\n${cluster}`),
    );

  it('tunnels to an https API server through proxy-url with CONNECT, sending the proxy credentials', async () => {
    const p = await proxy({ credentials: 'alice:s3cret' });
    const logger = capturingLogger();
    const file = kubeconfig(
      tlsKube.url,
      `      certificate-authority-data: ${ca}\n      proxy-url: http://alice:s3cret@127.0.0.1:${p.port}`,
    );
    const code = await runDistributed(pipelineConfig(), { logger, kubeconfig: file, env: {} });
    expect(code).toBe(0);
    expect(tlsKube.list('Workflow', NS)).toHaveLength(1);
    const port = new URL(tlsKube.url).port;
    expect(p.requests.length).toBeGreaterThan(0);
    expect(p.requests.every((r) => r.line === `CONNECT 127.0.0.1:${port}`)).toBe(true);
    expect(p.requests[0]!.authorization).toBe(`Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    expect(logger.text()).toContain(
      `through the proxy http://127.0.0.1:${p.port} (proxy-url of cluster of context "test")`,
    );
    expect(logger.text()).not.toContain('s3cret');
  });

  it("speaks TLS to an https proxy first, checked with the cluster's CA as client-go does, then tunnels", async () => {
    const p = await proxy({ tls: { key: certs.serverKey, cert: certs.serverCert } });
    const file = kubeconfig(tlsKube.url, `      certificate-authority-data: ${ca}\n      proxy-url: ${p.url}`);
    const code = await runDistributed(pipelineConfig(), { logger: capturingLogger(), kubeconfig: file, env: {} });
    expect(code).toBe(0);
    expect(p.url).toMatch(/^https:/);
    expect(p.requests[0]!.line).toBe(`CONNECT 127.0.0.1:${new URL(tlsKube.url).port}`);
  });

  it('sends requests for an http API server to the proxy in absolute form', async () => {
    const p = await proxy();
    const file = kubeconfig(plainKube.url, `      proxy-url: http://127.0.0.1:${p.port}`);
    const code = await runDistributed(pipelineConfig(), { logger: capturingLogger(), kubeconfig: file, env: {} });
    expect(code).toBe(0);
    expect(p.requests.some((r) => r.line.startsWith(`PATCH ${plainKube.url}/`))).toBe(true);
    expect(p.requests.every((r) => r.line.includes(` ${plainKube.url}/`))).toBe(true);
  });

  it('speaks TLS to an https proxy that carries an http server, checked against the system CAs', async () => {
    // The test CA is not a system CA, so the handshake with the proxy fails: TLS was spoken to it.
    const p = await proxy({ tls: { key: certs.serverKey, cert: certs.serverCert } });
    const file = kubeconfig(plainKube.url, `      proxy-url: ${p.url}`);
    const run = runDistributed(pipelineConfig(), { logger: capturingLogger(), kubeconfig: file, env: {} });
    await expect(run).rejects.toThrow(/certificate this client does not trust/);
    expect(p.requests).toEqual([]);
  });

  it('says which proxy refused the tunnel and how to fix it, without its password', async () => {
    const p = await proxy({ credentials: 'alice:right' });
    const file = kubeconfig(
      tlsKube.url,
      `      certificate-authority-data: ${ca}\n      proxy-url: http://alice:wrong-pw@127.0.0.1:${p.port}`,
    );
    const run = runDistributed(pipelineConfig(), { logger: capturingLogger(), kubeconfig: file, env: {} });
    await expect(run).rejects.toThrow(
      new RegExp(
        `the proxy http://127\\.0\\.0\\.1:${p.port} \\(proxy-url of cluster of context "test"\\) refused the tunnel to 127\\.0\\.0\\.1:\\d+: HTTP 407[^\\n]*\\n {2}Fix: check the proxy`,
      ),
    );
    await expect(run).rejects.not.toThrow(/wrong-pw/);
  });

  it('stops before any request when proxy-url is a SOCKS5 proxy (exit code 2)', async () => {
    const file = kubeconfig(
      tlsKube.url,
      `      certificate-authority-data: ${ca}\n      proxy-url: socks5://127.0.0.1:1080`,
    );
    const before = tlsKube.requests.length;
    const run = runDistributed(pipelineConfig(), { logger: capturingLogger(), kubeconfig: file, env: {} });
    await expect(run).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/SOCKS5 .*\n {2}Fix: set the cluster's proxy-url/),
    });
    expect(tlsKube.requests.length).toBe(before);
  });
});
