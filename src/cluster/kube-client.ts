/**
 * A minimal JSON client for the Kubernetes API: the kubeconfig's credentials (token, client
 * certificate, exec plugin — all applied by @kubernetes/client-node) on plain node:http(s) requests, so
 * that objects are sent exactly as synthesized (no model classes dropping or renaming fields).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import { KubeHttpError, KubeUnreachableError } from './errors.js';

export interface KubeClient {
  /** The API server URL. */
  readonly server: string;
  /** Sends one request; resolves to the parsed JSON body; throws KubeHttpError / KubeUnreachableError. */
  request<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T>;
}

export interface KubeClientOptions {
  /** Per-request timeout. @default 30000 */
  readonly timeoutMs?: number;
}

export function createKubeClient(kubeConfig: KubeConfig, options: KubeClientOptions = {}): KubeClient {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const base = new URL(cluster.server);
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    server: cluster.server,
    async request<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
      const target = new URL(base.pathname.replace(/\/$/, '') + path, base);
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const opts: https.RequestOptions = {
        method,
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        headers: {
          accept: 'application/json',
          ...(payload !== undefined
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
        timeout: timeoutMs,
      };
      // Adds Authorization (token / exec plugin / OIDC), client certificates, CA and the agent.
      await kubeConfig.applyToHTTPSOptions(opts);
      const { status, text } = await send(target.protocol === 'http:' ? http : https, opts, payload, cluster.server);
      if (status >= 200 && status < 300) return (text ? JSON.parse(text) : {}) as T;
      throw httpError(method, path, status, text);
    },
  };
}

function send(
  transport: typeof http | typeof https,
  opts: https.RequestOptions,
  payload: string | undefined,
  server: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = transport.request(opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => reject(unreachable(server, e)));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (e) => reject(unreachable(server, e)));
    req.end(payload);
  });
}

function unreachable(server: string, error: Error): KubeUnreachableError {
  const code = (error as { code?: string }).code ?? 'ERROR';
  return new KubeUnreachableError(server, code, error.message);
}

function httpError(method: string, path: string, status: number, text: string): KubeHttpError {
  let parsed: { kind?: string; reason?: string; message?: string; details?: { name?: string } } | undefined;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  if (parsed?.kind === 'Status') {
    return new KubeHttpError(method, path, status, parsed.reason, parsed.message ?? '', parsed.details?.name);
  }
  return new KubeHttpError(method, path, status, undefined, text.trim().slice(0, 200), undefined);
}
