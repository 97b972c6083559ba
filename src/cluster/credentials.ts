/**
 * The credentials of a kubeconfig user, applied to each request: a bearer token (inline, `token-file`
 * re-read at each use, or from an exec plugin), basic auth, or a client certificate.
 *
 * Exec plugins follow client-go plugin/pkg/client/auth/exec/exec.go (Authenticator.refreshCredsLocked):
 * the ExecCredential request goes in KUBERNETES_EXEC_INFO, the answer on stdout must have the same
 * apiVersion and kind ExecCredential, a status with a token or a certificate/key pair; the credential is
 * kept until status.expirationTimestamp (or for the process's life) and fetched again after a 401.
 * Unlike client-go we bound the plugin's run time, put its stderr into the error, and end it (and its
 * children: it runs in its own process group) on timeout, on Ctrl-C and when argo-ingest exits.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { clusterError, ClusterError } from './errors.js';
import type { ClusterEntry, ExecConfig, UserEntry } from './kubeconfig.js';

export interface Credentials {
  /** The Authorization header value. */
  readonly authorization?: string;
  readonly cert?: string;
  readonly key?: string;
}

export interface CredentialOptions {
  /** An exec plugin taking longer fails. @default 60000 */
  readonly execTimeoutMs?: number;
  /** The context name, for messages. */
  readonly context: string;
  /** Aborting ends a running exec plugin. */
  readonly signal?: AbortSignal;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Whether stdin is a terminal the plugin may use (interactiveMode). @default process.stdin.isTTY */
  readonly interactive?: boolean;
}

export const DEFAULT_EXEC_TIMEOUT_MS = 60_000;
/** Stderr kept for the error message (the end of it: plugins print the reason last). */
const MAX_STDERR = 2000;
const MAX_STDOUT = 1024 * 1024;

export interface CredentialProvider {
  get(): Promise<Credentials>;
  /** After a 401: forget an exec credential so the next get() runs the plugin again. Resolves whether it did. */
  invalidate(): boolean;
}

export function credentialProvider(
  user: UserEntry,
  cluster: ClusterEntry,
  options: CredentialOptions,
): CredentialProvider {
  const cert = user.clientCertificate !== undefined ? { cert: user.clientCertificate, key: user.clientKey! } : {};
  if (user.token !== undefined) return fixed({ authorization: `Bearer ${user.token}`, ...cert });
  if (user.tokenFile !== undefined) {
    const file = user.tokenFile;
    return {
      get: () => {
        try {
          return Promise.resolve({ authorization: `Bearer ${readFileSync(file, 'utf8').trim()}`, ...cert });
        } catch (error) {
          return Promise.reject(
            clusterError(
              `cannot read the token file ${file} of context "${options.context}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
              'fix token-file in the kubeconfig, or (in a pod) mount the ServiceAccount token',
              2,
            ),
          );
        }
      },
      invalidate: () => false,
    };
  }
  if (user.exec !== undefined) return execProvider(user.exec, cluster, options, cert);
  if (user.authProvider !== undefined) {
    const { name, config } = user.authProvider;
    // kubectl 1.26 removed the gcp and azure providers; oidc stays (id-token; refresh is not done here).
    if (name === 'oidc' && config['id-token']) return fixed({ authorization: `Bearer ${config['id-token']}`, ...cert });
    throw clusterError(
      `the kubeconfig user of context "${options.context}" uses auth-provider "${name}", which argo-ingest does not run`,
      name === 'gcp'
        ? 'switch to the exec plugin: install gke-gcloud-auth-plugin and run "gcloud container clusters get-credentials"'
        : name === 'azure'
          ? 'switch to the exec plugin: install kubelogin and run "kubelogin convert-kubeconfig"'
          : 'log in again so that the kubeconfig holds an id-token, or use an exec credential plugin',
      2,
    );
  }
  if (user.username !== undefined && user.password !== undefined) {
    const basic = Buffer.from(`${user.username}:${user.password}`).toString('base64');
    return fixed({ authorization: `Basic ${basic}`, ...cert });
  }
  return fixed(cert);
}

function fixed(credentials: Credentials): CredentialProvider {
  return { get: () => Promise.resolve(credentials), invalidate: () => false };
}

function execProvider(
  exec: ExecConfig,
  cluster: ClusterEntry,
  options: CredentialOptions,
  staticCert: { cert?: string; key?: string },
): CredentialProvider {
  let cached: { credentials: Credentials; expires: number } | undefined;
  let pending: Promise<Credentials> | undefined;
  return {
    async get() {
      if (cached && Date.now() < cached.expires) return cached.credentials;
      pending ??= runPlugin(exec, cluster, options).then(
        (result) => {
          pending = undefined;
          const credentials =
            result.token !== undefined
              ? { authorization: `Bearer ${result.token}`, ...staticCert }
              : { cert: result.cert!, key: result.key! };
          cached = { credentials, expires: result.expires };
          return credentials;
        },
        (error: unknown) => {
          pending = undefined;
          throw error;
        },
      );
      return pending;
    },
    invalidate() {
      const had = cached !== undefined;
      cached = undefined;
      return had;
    },
  };
}

interface PluginResult {
  readonly token?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly expires: number;
}

/** Running plugins, ended when argo-ingest exits. */
const running = new Set<number>();
let exitHookInstalled = false;
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function runPlugin(exec: ExecConfig, cluster: ClusterEntry, options: CredentialOptions): Promise<PluginResult> {
  const timeoutMs = options.execTimeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  const interactive = exec.interactiveMode !== 'Never' && (options.interactive ?? process.stdin.isTTY === true);
  const what = `the exec credential plugin "${exec.command}" of context "${options.context}"`;
  const fail = (cause: string, fix: string) => clusterError(`${what} ${cause}`, fix);
  if (exec.interactiveMode === 'Always' && !interactive) {
    // exec.go: "exec plugin cannot support interactive mode: standard input is not a terminal".
    return Promise.reject(
      fail(
        'needs a terminal (interactiveMode: Always) and standard input is not one',
        `run "${exec.command}" once in a terminal to log in, or use a kubeconfig whose plugin runs non-interactively`,
      ),
    );
  }
  const spec: Record<string, unknown> = { interactive };
  if (exec.provideClusterInfo) {
    spec.cluster = {
      server: cluster.server,
      ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}),
      'insecure-skip-tls-verify': cluster.insecureSkipTlsVerify,
      ...(cluster.caData ? { 'certificate-authority-data': cluster.caData } : {}),
      ...(cluster.proxyUrl ? { 'proxy-url': cluster.proxyUrl } : {}),
      ...(cluster.execExtension !== undefined ? { config: cluster.execExtension } : {}),
    };
  }
  const env = {
    ...(options.env ?? process.env),
    ...Object.fromEntries(exec.env.map((e) => [e.name, e.value])),
    KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion: exec.apiVersion, kind: 'ExecCredential', spec }),
  };
  return new Promise<PluginResult>((resolve, reject) => {
    let child;
    try {
      child = spawn(exec.command, [...exec.args], {
        env,
        stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'pipe'],
        // Its own process group, so that ending it also ends what it started (a shell's children);
        // not when it may prompt: a background process group reading the terminal would be stopped.
        detached: !interactive,
      });
    } catch (error) {
      reject(fail(`could not be started (${(error as Error).message})`, 'check users[].user.exec in the kubeconfig'));
      return;
    }
    const pid = child.pid;
    let stdout = '';
    let stderr = '';
    let settled = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < MAX_STDOUT) stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-MAX_STDERR);
    });
    const stderrText = () => {
      const text = stderr.trim();
      return text ? `; it said: ${text.split('\n').slice(-5).join(' | ')}` : '';
    };
    const finish = (error: ClusterError | undefined, result?: PluginResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (pid !== undefined) running.delete(pid);
      if (error) reject(error);
      else resolve(result!);
    };
    const stop = () => {
      if (pid === undefined) return;
      const end = (signal: NodeJS.Signals) => (interactive ? child.kill(signal) : killGroup(pid, signal));
      end('SIGTERM');
      setTimeout(() => end('SIGKILL'), 2000).unref();
      child.stdout.destroy();
      child.stderr.destroy();
    };
    const timer = setTimeout(() => {
      stop();
      finish(
        fail(
          `did not answer within ${Math.round(timeoutMs / 1000)}s and was stopped${stderrText()}`,
          `run "${[exec.command, ...exec.args].join(' ')}" yourself to see what it waits for (a login prompt, a network call), log in, then retry`,
        ),
      );
    }, timeoutMs);
    const onAbort = () => {
      stop();
      finish(clusterError(`${what} was stopped (interrupted)`, 'run the command again'));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (pid !== undefined) {
      if (!interactive) running.add(pid);
      if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.on('exit', () => {
          for (const p of running) killGroup(p, 'SIGKILL');
        });
      }
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        // exec.go wrapCmdRunErrorLocked: "exec: executable %s not found", then the installHint.
        finish(
          fail(
            'was not found',
            exec.installHint
              ? exec.installHint.trim().replace(/\s*\n\s*/g, ' ')
              : `install "${exec.command}" (it must be on PATH), or fetch a new kubeconfig from your cloud CLI`,
          ),
        );
      } else {
        finish(
          fail(`could not be started (${error.code ?? error.message})`, 'check users[].user.exec in the kubeconfig'),
        );
      }
    });
    child.on('exit', (code, signal) => {
      // Wait for the pipes to drain before reading the answer.
      setImmediate(() => {
        if (settled) return;
        if (code !== 0) {
          finish(
            fail(
              `failed (${signal ? `killed by ${signal}` : `exit code ${String(code)}`})${stderrText()}`,
              `run "${[exec.command, ...exec.args].join(' ')}" yourself and fix what it reports (often: log in again, e.g. "aws sso login", "gcloud auth login")`,
            ),
          );
          return;
        }
        try {
          finish(undefined, parseExecCredential(stdout, exec.apiVersion));
        } catch (error) {
          finish(
            fail(
              `${(error as Error).message}${stderrText()}`,
              'update the plugin, or fetch a new kubeconfig from your cloud CLI',
            ),
          );
        }
      });
    });
  });
}

/** The plugin's stdout as exec.go checks it. */
function parseExecCredential(stdout: string, apiVersion: string): PluginResult {
  let cred: {
    apiVersion?: unknown;
    kind?: unknown;
    status?: {
      token?: unknown;
      clientCertificateData?: unknown;
      clientKeyData?: unknown;
      expirationTimestamp?: unknown;
    };
  };
  try {
    cred = JSON.parse(stdout) as typeof cred;
  } catch {
    throw new Error('printed something that is not an ExecCredential (JSON) on stdout');
  }
  if (cred.kind !== 'ExecCredential' || cred.apiVersion !== apiVersion) {
    throw new Error(
      `answered ${String(cred.apiVersion)} ${String(cred.kind)}, not ${apiVersion} ExecCredential as the kubeconfig asks`,
    );
  }
  const status = cred.status;
  if (!status) throw new Error('answered an ExecCredential without status');
  const token = typeof status.token === 'string' && status.token !== '' ? status.token : undefined;
  const cert =
    typeof status.clientCertificateData === 'string' && status.clientCertificateData !== ''
      ? status.clientCertificateData
      : undefined;
  const key =
    typeof status.clientKeyData === 'string' && status.clientKeyData !== '' ? status.clientKeyData : undefined;
  if ((cert === undefined) !== (key === undefined))
    throw new Error('returned only a certificate or only a key, not both');
  if (token === undefined && cert === undefined) throw new Error("didn't return a token or a certificate/key pair");
  const expires =
    typeof status.expirationTimestamp === 'string' ? Date.parse(status.expirationTimestamp) : Number.POSITIVE_INFINITY;
  return {
    ...(token !== undefined ? { token } : { cert: cert!, key: key! }),
    expires: Number.isNaN(expires) ? Number.POSITIVE_INFINITY : expires,
  };
}
