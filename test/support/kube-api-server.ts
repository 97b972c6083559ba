/**
 * A real HTTP server (node:http on 127.0.0.1, ephemeral port) speaking the subset of the Kubernetes API
 * that src/cluster uses, with the answers (Status bodies, codes, reasons) of a real API server and of the
 * Argo workflow controller. Tests point a kubeconfig at it:
 *
 *   const kube = await startKubeApiServer({ namespaces: ['openmetadata'] });
 *   const kubeconfig = kube.writeKubeconfig(dir);   // token auth, context "test"
 *   ... runDistributed(loaded, { kubeconfig, logger }) ...
 *   kube.object('WorkflowTemplate', 'openmetadata', 'warehouse-pg')
 *   await kube.close();
 *
 * Paths (GET item / GET list / POST / PUT; no PATCH or watch — the client polls):
 * - `GET /api/v1/namespaces/{ns}`
 * - `/api/v1/namespaces/{ns}/{configmaps|serviceaccounts}[/{name}]`
 * - `/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/{roles|rolebindings}[/{name}]`
 * - `GET /apis/argoproj.io/v1alpha1` (discovery) and
 *   `/apis/argoproj.io/v1alpha1/namespaces/{ns}/{workflowtemplates|workflows|cronworkflows}[/{name}]`
 *
 * Semantics: `metadata.resourceVersion` (a global counter), `uid`, `creationTimestamp` (fixed) are set by
 * the server; POST of an existing name -> 409 AlreadyExists; PUT without the current resourceVersion ->
 * 409 Conflict; PUT of a missing object -> 404; `generateName` gets a deterministic 5-character suffix;
 * objects in a namespace that does not exist -> 404 `namespaces "x" not found`.
 *
 * Injectable failures: `argoInstalled: false` (every argoproj.io path answers `404 page not found`, as an
 * API server without the CRDs), a missing namespace (leave it out of `namespaces`), `forbidden` (403 with
 * the RBAC message), a token that is not `token` (401), and a closed port (close the server and keep the
 * URL). A Workflow whose template is missing, or whose ServiceAccount does not exist, fails as Argo fails
 * it (phase Error / Failed with the controller's message).
 *
 * Workflow status: each GET of a Workflow moves it one step along `workflowScript` (deterministic: no
 * timers). The last step stays.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';

export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown> & { name?: string; namespace?: string; generateName?: string };
};

/** One step of a Workflow's life as the controller would write it into `status`. */
export interface WorkflowStep {
  readonly phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Error';
  /** `N/M`, as Argo writes it. */
  readonly progress?: string;
  readonly message?: string;
  /** Failed nodes: display name and message (they become `status.nodes` entries of type Pod). */
  readonly failedNodes?: readonly { readonly name: string; readonly message: string }[];
}

export interface KubeApiServerOptions {
  /** Namespaces that exist. @default ['default'] */
  readonly namespaces?: readonly string[];
  /** Whether the Argo CRDs are installed. @default true */
  readonly argoInstalled?: boolean;
  /** The bearer token accepted; any other answers 401. @default 'kube-test-token' */
  readonly token?: string;
  /** 403 for matching requests (verb is get/list/create/update, resource the plural). @default none */
  readonly forbidden?: (request: { verb: string; resource: string; namespace?: string }) => boolean;
  /** Steps every new Workflow goes through, one per GET. @default Running 0/4 -> 2/4 -> Succeeded 4/4 */
  readonly workflowScript?: readonly WorkflowStep[];
  /** Objects present before the test (ServiceAccounts that the config names, ...). */
  readonly objects?: readonly KubeObject[];
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** The Authorization header as received, for checks that a token is sent (never print it). */
  readonly authorization?: string;
}

export interface KubeApiServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly token: string;
  /** Every request, in order. */
  readonly requests: RecordedRequest[];
  /** The stored object, or undefined. */
  object(kind: string, namespace: string, name: string): KubeObject | undefined;
  /** Stored objects of a kind in a namespace, by name. */
  list(kind: string, namespace: string): KubeObject[];
  /** Writes a kubeconfig (context `test`, token auth) into `dir`; returns its path. */
  writeKubeconfig(dir: string, options?: { readonly token?: string; readonly namespace?: string }): string;
  close(): Promise<void>;
}

interface ResourceType {
  readonly kind: string;
  readonly plural: string;
  readonly prefix: string;
  readonly apiVersion: string;
  readonly group: string;
}

const TYPES: readonly ResourceType[] = [
  { kind: 'ConfigMap', plural: 'configmaps', prefix: '/api/v1', apiVersion: 'v1', group: '' },
  { kind: 'ServiceAccount', plural: 'serviceaccounts', prefix: '/api/v1', apiVersion: 'v1', group: '' },
  ...['Role', 'RoleBinding'].map((kind) => ({
    kind,
    plural: `${kind.toLowerCase()}s`,
    prefix: '/apis/rbac.authorization.k8s.io/v1',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    group: 'rbac.authorization.k8s.io',
  })),
  ...['WorkflowTemplate', 'Workflow', 'CronWorkflow'].map((kind) => ({
    kind,
    plural: `${kind.toLowerCase()}s`,
    prefix: '/apis/argoproj.io/v1alpha1',
    apiVersion: 'argoproj.io/v1alpha1',
    group: 'argoproj.io',
  })),
];

const DEFAULT_SCRIPT: readonly WorkflowStep[] = [
  { phase: 'Running', progress: '0/4' },
  { phase: 'Running', progress: '2/4' },
  { phase: 'Succeeded', progress: '4/4' },
];

class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const token = options.token ?? 'kube-test-token';
  const namespaces = new Set(options.namespaces ?? ['default']);
  const argoInstalled = options.argoInstalled ?? true;
  const script = options.workflowScript ?? DEFAULT_SCRIPT;
  const store = new Map<string, KubeObject>();
  const workflowSteps = new Map<string, readonly WorkflowStep[]>();
  const requests: RecordedRequest[] = [];
  let resourceVersion = 1000;
  let generated = 0;
  const key = (kind: string, namespace: string, name: string) => `${kind}/${namespace}/${name}`;

  const stamp = (type: ResourceType, object: KubeObject, namespace: string): KubeObject => {
    const metadata = { ...(object.metadata ?? {}) };
    metadata.namespace = namespace;
    metadata.resourceVersion = String(++resourceVersion);
    metadata.uid ??= `uid-${resourceVersion}`;
    metadata.creationTimestamp ??= '2024-01-01T00:00:00Z';
    return { ...object, apiVersion: type.apiVersion, kind: type.kind, metadata };
  };

  for (const object of options.objects ?? []) {
    const type = TYPES.find((t) => t.kind === object.kind);
    if (!type) throw new Error(`kube-api-server: unsupported kind ${object.kind}`);
    const namespace = object.metadata?.namespace ?? 'default';
    store.set(key(type.kind, namespace, object.metadata!.name!), stamp(type, object, namespace));
  }

  /** What the Argo controller does with a new Workflow: fail it like Argo when it cannot run. */
  const scriptFor = (workflow: KubeObject, namespace: string): readonly WorkflowStep[] => {
    const spec = (workflow.spec ?? {}) as { workflowTemplateRef?: { name?: string }; serviceAccountName?: string };
    const templateName = spec.workflowTemplateRef?.name;
    const template = templateName ? store.get(key('WorkflowTemplate', namespace, templateName)) : undefined;
    if (templateName && !template) {
      return [{ phase: 'Error', message: `workflowtemplates.argoproj.io "${templateName}" not found` }];
    }
    const account =
      spec.serviceAccountName ?? (template?.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName;
    if (account && !store.has(key('ServiceAccount', namespace, account))) {
      const pod = `${workflow.metadata!.name}-discover-1`;
      const message = `pods "${pod}" is forbidden: error looking up service account ${namespace}/${account}: serviceaccount "${account}" not found`;
      return [{ phase: 'Error', progress: '0/1', message, failedNodes: [{ name: 'discover', message }] }];
    }
    return script;
  };

  const applyStep = (workflow: KubeObject, step: WorkflowStep): KubeObject => {
    const name = workflow.metadata!.name!;
    const nodes: Record<string, unknown> = {
      [name]: { id: name, name, displayName: name, type: 'Steps', phase: step.phase },
    };
    (step.failedNodes ?? []).forEach((node, i) => {
      const id = `${name}-${1000 + i}`;
      nodes[id] = {
        id,
        name: `${name}.${node.name}`,
        displayName: node.name,
        type: 'Pod',
        phase: 'Failed',
        message: node.message,
      };
    });
    const status: Record<string, unknown> = { phase: step.phase, nodes };
    if (step.progress !== undefined) status.progress = step.progress;
    if (step.message !== undefined) status.message = step.message;
    if (step.phase === 'Succeeded' || step.phase === 'Failed' || step.phase === 'Error') {
      status.finishedAt = '2024-01-01T00:10:00Z';
    }
    return { ...workflow, status };
  };

  const handle = (req: IncomingMessage, body: string): { code: number; body: unknown } => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (req.headers.authorization !== `Bearer ${token}`) {
      throw new HttpError(401, 'Unauthorized', 'Unauthorized');
    }
    if (path.startsWith('/apis/argoproj.io') && !argoInstalled) {
      return { code: 404, body: '404 page not found\n' };
    }
    if (path === '/apis/argoproj.io/v1alpha1' && method === 'GET') {
      return {
        code: 200,
        body: {
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion: 'argoproj.io/v1alpha1',
          resources: TYPES.filter((t) => t.group === 'argoproj.io').map((t) => ({
            name: t.plural,
            singularName: t.kind.toLowerCase(),
            namespaced: true,
            kind: t.kind,
            verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
          })),
        },
      };
    }
    const nsMatch = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path);
    if (nsMatch && method === 'GET') {
      const ns = decodeURIComponent(nsMatch[1]!);
      checkForbidden('get', 'namespaces', undefined);
      if (!namespaces.has(ns))
        throw new HttpError(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
      return {
        code: 200,
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns }, status: { phase: 'Active' } },
      };
    }
    const type = TYPES.find(
      (t) => path.startsWith(`${t.prefix}/namespaces/`) && path.split('/')[t.prefix.split('/').length + 2] === t.plural,
    );
    const parts = path.split('/');
    if (!type) throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
    const base = type.prefix.split('/').length;
    const namespace = decodeURIComponent(parts[base + 1]!);
    const name = parts[base + 3] !== undefined ? decodeURIComponent(parts[base + 3]!) : undefined;
    const resource = type.group ? `${type.plural}.${type.group}` : type.plural;
    const notFound = (n: string) =>
      new HttpError(404, 'NotFound', `${resource} "${n}" not found`, { name: n, group: type.group, kind: type.plural });

    if (method === 'GET' && name !== undefined) {
      checkForbidden('get', type.plural, namespace);
      const k = key(type.kind, namespace, name);
      const stored = store.get(k);
      if (!stored) throw notFound(name);
      if (type.kind === 'Workflow') {
        const steps = workflowSteps.get(k) ?? [];
        if (steps.length > 0) {
          const next = applyStep(stored, steps[0]!);
          store.set(k, stamp(type, next, namespace));
          if (steps.length > 1) workflowSteps.set(k, steps.slice(1));
          else workflowSteps.delete(k);
        }
      }
      return { code: 200, body: store.get(k) };
    }
    if (method === 'GET') {
      checkForbidden('list', type.plural, namespace);
      const items = [...store.entries()].filter(([k]) => k.startsWith(`${type.kind}/${namespace}/`)).map(([, v]) => v);
      return {
        code: 200,
        body: {
          apiVersion: type.apiVersion,
          kind: `${type.kind}List`,
          metadata: { resourceVersion: String(resourceVersion) },
          items,
        },
      };
    }
    if (method === 'POST' && name === undefined) {
      checkForbidden('create', type.plural, namespace);
      if (!namespaces.has(namespace))
        throw new HttpError(404, 'NotFound', `namespaces "${namespace}" not found`, {
          name: namespace,
          kind: 'namespaces',
        });
      const object = parse(body);
      const metadata = { ...(object.metadata ?? {}) };
      if (!metadata.name && metadata.generateName) {
        metadata.name = `${metadata.generateName}${suffix(++generated)}`;
        delete metadata.generateName;
      }
      if (!metadata.name)
        throw new HttpError(
          422,
          'Invalid',
          `${type.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
        );
      if (metadata.namespace !== undefined && metadata.namespace !== namespace) {
        throw new HttpError(
          400,
          'BadRequest',
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      const k = key(type.kind, namespace, metadata.name);
      if (store.has(k))
        throw new HttpError(409, 'AlreadyExists', `${resource} "${metadata.name}" already exists`, {
          name: metadata.name,
          group: type.group,
          kind: type.plural,
        });
      delete metadata.resourceVersion;
      const created = stamp(type, { ...object, metadata }, namespace);
      store.set(k, created);
      if (type.kind === 'Workflow') workflowSteps.set(k, scriptFor(created, namespace));
      return { code: 201, body: created };
    }
    if (method === 'PUT' && name !== undefined) {
      checkForbidden('update', type.plural, namespace);
      const object = parse(body);
      const k = key(type.kind, namespace, name);
      const stored = store.get(k);
      if (!stored) throw notFound(name);
      if (object.metadata?.name !== name)
        throw new HttpError(400, 'BadRequest', 'the name of the object does not match the name on the URL');
      const sent = object.metadata?.resourceVersion;
      if (sent === undefined || sent === '') {
        throw new HttpError(
          422,
          'Invalid',
          `${type.kind} "${name}" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`,
        );
      }
      if (sent !== stored.metadata!.resourceVersion) {
        throw new HttpError(
          409,
          'Conflict',
          `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        );
      }
      const metadata = {
        ...object.metadata,
        uid: stored.metadata!.uid,
        creationTimestamp: stored.metadata!.creationTimestamp,
      };
      const replaced = stamp(type, { ...object, metadata }, namespace);
      store.set(k, replaced);
      return { code: 200, body: replaced };
    }
    throw new HttpError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
  };

  function checkForbidden(verb: string, plural: string, namespace: string | undefined): void {
    if (!options.forbidden?.({ verb, resource: plural, namespace })) return;
    const type = TYPES.find((t) => t.plural === plural);
    const group = type?.group ?? '';
    const where = namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope';
    throw new HttpError(
      403,
      'Forbidden',
      `${group ? `${plural}.${group}` : plural} is forbidden: User "system:serviceaccount:ci:deployer" cannot ${verb} resource "${plural}" in API group "${group}"${where}`,
      { group, kind: plural },
    );
  }

  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}),
      });
      let answer: { code: number; body: unknown };
      try {
        answer = handle(req, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        answer = {
          code: error.code,
          body: {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: error.message,
            reason: error.reason,
            details: error.details,
            code: error.code,
          },
        };
      }
      if (typeof answer.body === 'string') {
        res.writeHead(answer.code, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(answer.body);
      } else {
        res.writeHead(answer.code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    token,
    requests,
    object: (kind, namespace, name) => store.get(key(kind, namespace, name)),
    list: (kind, namespace) =>
      [...store.entries()].filter(([k]) => k.startsWith(`${kind}/${namespace}/`)).map(([, v]) => v),
    writeKubeconfig(dir, kubeconfigOptions = {}) {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 'kubeconfig');
      writeFileSync(file, kubeconfigYaml(url, kubeconfigOptions.token ?? token, kubeconfigOptions.namespace));
      return file;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A kubeconfig with one cluster, user (bearer token) and context, all named `test`. */
export function kubeconfigYaml(server: string, token: string, namespace?: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: test',
    '    cluster:',
    `      server: ${server}`,
    // client-node refuses plain http unless TLS verification is explicitly off.
    '      insecure-skip-tls-verify: true',
    'users:',
    '  - name: test',
    '    user:',
    `      token: ${token}`,
    'contexts:',
    '  - name: test',
    '    context:',
    '      cluster: test',
    '      user: test',
    ...(namespace ? [`      namespace: ${namespace}`] : []),
    'current-context: test',
    '',
  ].join('\n');
}

function parse(body: string): KubeObject {
  try {
    return JSON.parse(body) as KubeObject;
  } catch {
    throw new HttpError(400, 'BadRequest', 'the request body is not JSON');
  }
}

/** Deterministic generateName suffixes: 5 lower-case alphanumerics like the API server's. */
function suffix(n: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  let value = n * 7919 + 104729;
  for (let i = 0; i < 5; i++) {
    out += alphabet[value % alphabet.length];
    value = Math.floor(value / alphabet.length);
  }
  return out;
}
