/**
 * Which cluster and identity to talk to, read the way kubectl reads it (k8s.io/client-go
 * tools/clientcmd): `--kubeconfig` (must exist), else every file of `KUBECONFIG` (missing ones skipped),
 * else `~/.kube/config`, else the in-cluster ServiceAccount (when `run` itself runs in a pod). `--context`
 * picks a context of that kubeconfig.
 *
 * Our own reader rather than @kubernetes/client-node's KubeConfig: client-node throws on a name defined
 * in two KUBECONFIG files (kubectl keeps the first, clientcmd/loader.go ClientConfigLoadingRules.Load),
 * reads `token-file` relative to the working directory (kubectl: relative to the kubeconfig,
 * loader.go ResolveLocalPaths), refuses `http://` servers unless TLS verification is off, and runs exec
 * plugins with no timeout and errors that are not meant for users.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { clusterError, ClusterError } from './errors.js';

/** Where a pod's ServiceAccount credentials are mounted (client-go rest.InClusterConfig). */
export const IN_CLUSTER_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeConfigOptions {
  /** A kubeconfig file (`--kubeconfig`). @default KUBECONFIG, then ~/.kube/config, then in-cluster */
  readonly kubeconfig?: string;
  /** A context of the kubeconfig (`--context`). @default its current-context */
  readonly context?: string;
  /** The environment (KUBECONFIG, HOME, KUBERNETES_SERVICE_HOST/PORT). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Where the in-cluster token, ca.crt and namespace are. @default IN_CLUSTER_DIR */
  readonly inClusterDir?: string;
}

export interface ClusterEntry {
  readonly server: string;
  /** PEM of the CA (certificate-authority-data decoded, or certificate-authority read). */
  readonly ca?: string;
  readonly insecureSkipTlsVerify: boolean;
  readonly tlsServerName?: string;
  /** As written, for an exec plugin with provideClusterInfo. */
  readonly caData?: string;
  readonly proxyUrl?: string;
  /** extensions[name=client.authentication.k8s.io/exec].extension, for provideClusterInfo. */
  readonly execExtension?: unknown;
}

export interface ExecConfig {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly apiVersion: string;
  readonly installHint?: string;
  readonly provideClusterInfo: boolean;
  readonly interactiveMode: 'Never' | 'IfAvailable' | 'Always';
}

export interface UserEntry {
  readonly token?: string;
  /** Read at each use, as kubectl does (projected tokens rotate). */
  readonly tokenFile?: string;
  readonly clientCertificate?: string;
  readonly clientKey?: string;
  readonly username?: string;
  readonly password?: string;
  readonly exec?: ExecConfig;
  readonly authProvider?: { readonly name: string; readonly config: Readonly<Record<string, string>> };
  /** `as`, `as-uid`, `as-groups`, `as-user-extra`: act as another identity (only when `as` is set). */
  readonly impersonate?: Impersonation;
}

export interface Impersonation {
  readonly user: string;
  readonly uid?: string;
  readonly groups: readonly string[];
  readonly extra: Readonly<Record<string, readonly string[]>>;
}

export interface LoadedKubeConfig {
  /** The context in use (`in-cluster` inside a pod). */
  readonly context: string;
  /** The API server URL. */
  readonly server: string;
  readonly cluster: ClusterEntry;
  readonly user: UserEntry;
  /** The context's namespace, if any. */
  readonly namespace?: string;
}

/** The kubeconfig files to read: `--kubeconfig`, the KUBECONFIG list, or ~/.kube/config. */
function kubeconfigFiles(options: KubeConfigOptions, env: NodeJS.ProcessEnv): string[] {
  if (options.kubeconfig !== undefined) {
    // An explicit path must exist (loader.go: ExplicitPath errors when missing).
    if (!existsSync(options.kubeconfig)) {
      throw usageError(
        `the kubeconfig ${options.kubeconfig} does not exist`,
        'pass the path of a kubeconfig with --kubeconfig, or leave it out to use KUBECONFIG / ~/.kube/config',
      );
    }
    return [options.kubeconfig];
  }
  if (env.KUBECONFIG) {
    // Empty entries and files that do not exist are skipped (loader.go Load: missingList).
    return env.KUBECONFIG.split(delimiter).filter((file) => file !== '' && existsSync(file));
  }
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  return existsSync(home) ? [home] : [];
}

interface RawConfig {
  clusters: Map<string, Record<string, unknown>>;
  users: Map<string, Record<string, unknown>>;
  contexts: Map<string, Record<string, unknown>>;
  currentContext?: string;
}

export function loadKubeConfig(options: KubeConfigOptions = {}): LoadedKubeConfig {
  const env = options.env ?? process.env;
  const files = kubeconfigFiles(options, env);
  if (files.length === 0) {
    if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT) {
      return inCluster(env, options.inClusterDir ?? IN_CLUSTER_DIR, options.context);
    }
    throw clusterError(
      `no kubeconfig found (${env.KUBECONFIG ? `no file of KUBECONFIG=${env.KUBECONFIG} exists` : 'KUBECONFIG is not set, ~/.kube/config does not exist'}, and this is not a pod)`,
      'point KUBECONFIG at your cluster\'s kubeconfig, or fetch one (e.g. "aws eks update-kubeconfig", "gcloud container clusters get-credentials", "az aks get-credentials")',
    );
  }
  const raw: RawConfig = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const file of files) mergeFile(raw, file);

  const name = options.context ?? raw.currentContext;
  if (name === undefined || name === '') {
    throw usageError(
      `the kubeconfig ${files.join(', ')} sets no current-context`,
      `pass --context (one of: ${known(raw.contexts)}), or set one with "kubectl config use-context NAME"`,
    );
  }
  const context = raw.contexts.get(name);
  if (!context) {
    throw usageError(
      `context "${name}" is not in the kubeconfig ${files.join(', ')}`,
      `use one of: ${known(raw.contexts)} ("kubectl config get-contexts" lists them)`,
    );
  }
  const clusterName = str(context.cluster);
  const clusterRaw = clusterName !== undefined ? raw.clusters.get(clusterName) : undefined;
  if (!clusterRaw) {
    throw usageError(
      `context "${name}" names cluster "${clusterName ?? ''}", which the kubeconfig does not define`,
      'fix the context ("kubectl config set-context") or choose another one with --context',
    );
  }
  const cluster = toCluster(clusterRaw, clusterName!);
  const userName = str(context.user);
  const userRaw = userName !== undefined ? raw.users.get(userName) : undefined;
  if (userName !== undefined && userName !== '' && !userRaw) {
    throw usageError(
      `context "${name}" names user "${userName}", which the kubeconfig does not define`,
      'fix the context ("kubectl config set-context") or choose another one with --context',
    );
  }
  const namespace = str(context.namespace);
  return {
    context: name,
    server: cluster.server,
    cluster,
    user: userRaw ? toUser(userRaw, userName!) : {},
    ...(namespace ? { namespace } : {}),
  };
}

/** A mistake on the command line or in the kubeconfig: exit 2, like any config error. */
function usageError(cause: string, fix: string): ClusterError {
  return clusterError(cause, fix, 2);
}

function known(contexts: Map<string, unknown>): string {
  return contexts.size > 0 ? [...contexts.keys()].join(', ') : '(none)';
}

function mergeFile(raw: RawConfig, file: string): void {
  let doc: unknown;
  try {
    if (!statSync(file).isFile()) throw new Error('not a regular file');
    doc = parse(readFileSync(file, 'utf8'), { maxAliasCount: 100 });
  } catch (error) {
    throw usageError(
      `cannot read the kubeconfig ${file}: ${(error as Error).message.split('\n')[0]}`,
      'check the file with "kubectl config view"',
    );
  }
  if (doc === null || doc === undefined) return;
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw usageError(`the kubeconfig ${file} is not a YAML mapping`, 'check the file with "kubectl config view"');
  }
  const root = doc as Record<string, unknown>;
  const dir = dirname(resolve(file));
  // The first file that defines a name wins; later ones never change it (loader.go Load).
  const addAll = (key: string, inner: string, into: Map<string, Record<string, unknown>>, paths: string[]) => {
    const list = root[key];
    if (!Array.isArray(list)) return;
    for (const entry of list as unknown[]) {
      const named = entry as { name?: unknown } | null;
      if (!named || typeof named.name !== 'string' || into.has(named.name)) continue;
      const body = { ...(((named as Record<string, unknown>)[inner] as Record<string, unknown> | undefined) ?? {}) };
      // Relative file references are relative to the kubeconfig that holds them (ResolveLocalPaths).
      for (const p of paths) {
        const value = body[p];
        if (typeof value === 'string' && value !== '' && !isAbsolute(value)) body[p] = join(dir, value);
      }
      const exec = body.exec as Record<string, unknown> | undefined;
      // An exec command is resolved only when it is a path, not a name looked up on PATH
      // (loader.go GetAuthInfoFileReferences: `filepath.Base(command) != command`).
      if (exec && typeof exec.command === 'string' && exec.command.includes('/') && !isAbsolute(exec.command)) {
        body.exec = { ...exec, command: join(dir, exec.command) };
      }
      into.set(named.name, body);
    }
  };
  addAll('clusters', 'cluster', raw.clusters, ['certificate-authority']);
  addAll('users', 'user', raw.users, ['client-certificate', 'client-key', 'token-file']);
  addAll('contexts', 'context', raw.contexts, []);
  const current = root['current-context'];
  if (raw.currentContext === undefined && typeof current === 'string' && current !== '') raw.currentContext = current;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function readRef(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(
      `cannot read ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      'fix the path in the kubeconfig ("kubectl config view" shows it)',
    );
  }
}

function decode(data: string): string {
  return Buffer.from(data, 'base64').toString('utf8');
}

function toCluster(body: Record<string, unknown>, name: string): ClusterEntry {
  const server = str(body.server);
  if (!server) {
    throw usageError(`cluster "${name}" of the kubeconfig has no server`, 'set it with "kubectl config set-cluster"');
  }
  try {
    const url = new URL(server);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw usageError(
      `cluster "${name}" has server "${server}", which is not an http(s) URL`,
      'set it with "kubectl config set-cluster NAME --server=https://HOST:PORT"',
    );
  }
  const caData = str(body['certificate-authority-data']);
  const caFile = str(body['certificate-authority']);
  const ca = caData ? decode(caData) : caFile ? readRef(caFile, 'the certificate-authority') : undefined;
  const execExtension = Array.isArray(body.extensions)
    ? (body.extensions as { name?: unknown; extension?: unknown }[]).find(
        (e) => e.name === 'client.authentication.k8s.io/exec',
      )?.extension
    : undefined;
  const tlsServerName = str(body['tls-server-name']);
  const proxyUrl = str(body['proxy-url']);
  return {
    server,
    insecureSkipTlsVerify: body['insecure-skip-tls-verify'] === true,
    ...(ca !== undefined ? { ca } : {}),
    ...(caData !== undefined ? { caData } : {}),
    ...(tlsServerName ? { tlsServerName } : {}),
    ...(proxyUrl ? { proxyUrl } : {}),
    ...(execExtension !== undefined ? { execExtension } : {}),
  };
}

function toUser(body: Record<string, unknown>, name: string): UserEntry {
  const certData = str(body['client-certificate-data']);
  const certFile = str(body['client-certificate']);
  const keyData = str(body['client-key-data']);
  const keyFile = str(body['client-key']);
  const clientCertificate = certData
    ? decode(certData)
    : certFile
      ? readRef(certFile, 'the client-certificate')
      : undefined;
  const clientKey = keyData ? decode(keyData) : keyFile ? readRef(keyFile, 'the client-key') : undefined;
  if ((clientCertificate === undefined) !== (clientKey === undefined)) {
    throw usageError(
      `user "${name}" of the kubeconfig has a client certificate without its key (or a key without its certificate)`,
      'set both client-certificate(-data) and client-key(-data) ("kubectl config set-credentials")',
    );
  }
  const token = str(body.token);
  const tokenFile = str(body['token-file']);
  const username = str(body.username);
  const password = str(body.password);
  const provider = body['auth-provider'] as { name?: unknown; config?: unknown } | undefined;
  const impersonate = toImpersonation(body);
  return {
    ...(impersonate ? { impersonate } : {}),
    ...(token ? { token } : {}),
    ...(tokenFile ? { tokenFile } : {}),
    ...(clientCertificate !== undefined && clientKey !== undefined ? { clientCertificate, clientKey } : {}),
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(body.exec !== undefined && body.exec !== null ? { exec: toExec(body.exec, name) } : {}),
    ...(provider && typeof provider.name === 'string'
      ? {
          authProvider: {
            name: provider.name,
            config: Object.fromEntries(
              Object.entries((provider.config ?? {}) as Record<string, unknown>).filter(
                (e): e is [string, string] => typeof e[1] === 'string',
              ),
            ),
          },
        }
      : {}),
  };
}

/**
 * users[].user `as` / `as-uid` / `as-groups` / `as-user-extra` (clientcmd/api/v1 AuthInfo). clientcmd
 * (DirectClientConfig.ClientConfig) impersonates only when `as` names a user; the rest goes with it.
 */
function toImpersonation(body: Record<string, unknown>): Impersonation | undefined {
  const user = str(body.as);
  if (!user) return undefined;
  const uid = str(body['as-uid']);
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const extra = Object.fromEntries(
    Object.entries((body['as-user-extra'] ?? {}) as Record<string, unknown>).map(([k, v]) => [k, strings(v)]),
  );
  return { user, ...(uid ? { uid } : {}), groups: strings(body['as-groups']), extra };
}

/** The exec versions client-go still accepts (v1alpha1 was removed in Kubernetes 1.24). */
export const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];

/**
 * users[].user.exec as clientcmd validates it (tools/clientcmd/validation.go validateAuthInfo): a
 * command, a supported apiVersion, and for v1 an interactiveMode (v1beta1 defaults it to IfAvailable).
 */
function toExec(value: unknown, user: string): ExecConfig {
  const exec = (value ?? {}) as Record<string, unknown>;
  const fix = 'fix users[].user.exec in the kubeconfig (the cloud CLI that wrote it can write it again)';
  const command = str(exec.command);
  if (!command) throw usageError(`user "${user}": exec has no command`, fix);
  const apiVersion = str(exec.apiVersion) ?? '';
  if (!EXEC_API_VERSIONS.includes(apiVersion)) {
    throw usageError(
      `user "${user}": exec apiVersion "${apiVersion}" is not supported (use ${EXEC_API_VERSIONS.join(' or ')})`,
      fix,
    );
  }
  let interactiveMode = str(exec.interactiveMode);
  if (interactiveMode === undefined || interactiveMode === '') {
    if (apiVersion === 'client.authentication.k8s.io/v1') {
      throw usageError(`user "${user}": exec interactiveMode must be set for ${apiVersion}`, fix);
    }
    interactiveMode = 'IfAvailable';
  }
  if (interactiveMode !== 'Never' && interactiveMode !== 'IfAvailable' && interactiveMode !== 'Always') {
    throw usageError(
      `user "${user}": exec interactiveMode "${interactiveMode}" is not Never, IfAvailable or Always`,
      fix,
    );
  }
  const installHint = str(exec.installHint);
  return {
    command,
    args: Array.isArray(exec.args) ? exec.args.map(String) : [],
    env: Array.isArray(exec.env)
      ? (exec.env as { name?: unknown; value?: unknown }[]).map((e) => ({
          name: String(e.name ?? ''),
          value: String(e.value ?? ''),
        }))
      : [],
    apiVersion,
    provideClusterInfo: exec.provideClusterInfo === true,
    interactiveMode,
    ...(installHint ? { installHint } : {}),
  };
}

/**
 * A pod's own identity (client-go rest.InClusterConfig): https://KUBERNETES_SERVICE_HOST:PORT, the
 * mounted token (re-read at each use: it rotates) and CA, and the pod's namespace.
 */
function inCluster(env: NodeJS.ProcessEnv, dir: string, context: string | undefined): LoadedKubeConfig {
  if (context !== undefined && context !== 'in-cluster') {
    throw usageError(
      `context "${context}" does not exist: there is no kubeconfig, only the pod's in-cluster identity`,
      'leave out --context, or mount a kubeconfig and set KUBECONFIG',
    );
  }
  const tokenFile = join(dir, 'token');
  if (!existsSync(tokenFile)) {
    throw clusterError(
      `this pod has no ServiceAccount token (${tokenFile} does not exist)`,
      'set automountServiceAccountToken: true on the pod or its ServiceAccount, or mount a kubeconfig and set KUBECONFIG',
    );
  }
  const host = env.KUBERNETES_SERVICE_HOST!;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT!}`;
  const caFile = join(dir, 'ca.crt');
  const namespaceFile = join(dir, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined;
  return {
    context: 'in-cluster',
    server,
    cluster: {
      server,
      insecureSkipTlsVerify: false,
      ...(existsSync(caFile) ? { ca: readFileSync(caFile, 'utf8') } : {}),
    },
    user: { tokenFile },
    ...(namespace ? { namespace } : {}),
  };
}
