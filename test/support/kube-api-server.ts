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
 * Paths (GET item / GET list / POST / PUT / PATCH server-side apply; RBAC by verb with `rules`):
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
 * Workflow status: while a Workflow is watched, the controller moves it along `workflowScript`, one step
 * per turn of the event loop (deterministic order, no timers), each step a MODIFIED event with a new
 * resourceVersion. The last step stays. `watchGone` and `dropFirstWatchAfter` inject a 410 Expired and
 * a cut connection.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
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
  /** 403 for matching requests (verb is get/list/create/update/patch, resource the plural). @default none */
  readonly forbidden?: (request: { verb: string; resource: string; namespace?: string }) => boolean;
  /**
   * RBAC as the API server authorizes (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac RuleAllows):
   * when set, a request is allowed only when a rule matches its API group, resource and verb, and,
   * for a rule with resourceNames, the request names one of them (so never create/list/watch).
   * Discovery (`GET /apis/...` group versions) stays open, as system:discovery grants it.
   */
  readonly rules?: readonly PolicyRule[];
  /** Steps every new Workflow goes through, one per GET. @default Running 0/4 -> 2/4 -> Succeeded 4/4 */
  readonly workflowScript?: readonly WorkflowStep[];
  /** Objects present before the test (ServiceAccounts that the config names, ...). */
  readonly objects?: readonly KubeObject[];
  /**
   * The first N watches that give a resourceVersion get, as when etcd has compacted it, an ERROR event
   * with a Status of code 410 (reason Expired, "too old resource version") and the end of the stream;
   * the client must list again. @default 0
   */
  readonly watchGone?: number;
  /** The first watch is cut (its connection destroyed) after this many events. @default never */
  readonly dropFirstWatchAfter?: number;
  /**
   * Serve https with this key and certificate; client certificates signed by `ca` authenticate as
   * their CN (the API server's x509 authenticator), besides the bearer token. @default plain http
   */
  readonly tls?: { readonly key: string; readonly cert: string; readonly ca: string };
}

export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType?: string;
  /** The Authorization header as received, for checks that a token is sent (never print it). */
  readonly authorization?: string;
  /**
   * The Impersonate-* headers as received (names as sent, repeated headers as lists), as client-go's
   * impersonatingRoundTripper sends them (transport/round_trippers.go). Recorded, not enforced: this
   * server does not check the impersonate verb.
   */
  readonly impersonation?: Readonly<Record<string, readonly string[]>>;
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
  /** With `exec`, the user runs that credential plugin instead of holding a token. */
  writeKubeconfig(
    dir: string,
    options?: { readonly token?: string; readonly namespace?: string; readonly exec?: ExecUser },
  ): string;
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

interface WatchRequest {
  readonly prefix: string;
  readonly name?: string;
  readonly resourceVersion: string;
  readonly timeoutSeconds?: number;
}

interface Answer {
  readonly code: number;
  readonly body: unknown;
  readonly watch?: WatchRequest;
}

const WATCH = Symbol('watch');

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
  /** Per object: field manager -> owned field paths (JSON arrays of keys). */
  const managers = new Map<string, Map<string, Set<string>>>();
  /** Per object: field manager -> its last operation (Apply or Update). */
  const operations = new Map<string, Map<string, 'Apply' | 'Update'>>();
  const setOperation = (k: string, manager: string, op: 'Apply' | 'Update') => {
    const ops = operations.get(k) ?? new Map<string, 'Apply' | 'Update'>();
    ops.set(manager, op);
    operations.set(k, ops);
  };
  const workflowSteps = new Map<string, readonly WorkflowStep[]>();
  const requests: RecordedRequest[] = [];
  /** Every change, in resourceVersion order: what a watch from a resourceVersion replays. */
  const events: { rv: number; type: 'ADDED' | 'MODIFIED' | 'DELETED'; key: string; object: KubeObject }[] = [];
  const watchers = new Set<{ prefix: string; name?: string; send: (type: string, object: unknown) => void }>();
  let watchGone = options.watchGone ?? 0;
  let dropNextWatch = options.dropFirstWatchAfter;
  /** Stores an object and tells the watches (the API server's cacher does this per write). */
  const write = (k: string, object: KubeObject, type: 'ADDED' | 'MODIFIED') => {
    store.set(k, object);
    events.push({ rv: Number(object.metadata!.resourceVersion), type, key: k, object });
    for (const watcher of watchers) {
      if (k.startsWith(watcher.prefix) && (watcher.name === undefined || k === watcher.prefix + watcher.name)) {
        watcher.send(type, object);
      }
    }
  };
  /** The workflow controller: moves a Workflow one step along its script. */
  const advance = (k: string): boolean => {
    const steps = workflowSteps.get(k) ?? [];
    const stored = store.get(k);
    if (steps.length === 0 || !stored) return false;
    const type = TYPES.find((t) => t.kind === 'Workflow')!;
    write(k, stamp(type, applyStep(stored, steps[0]!), stored.metadata!.namespace!), 'MODIFIED');
    if (steps.length > 1) workflowSteps.set(k, steps.slice(1));
    else workflowSteps.delete(k);
    return true;
  };
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

  const handle = (req: IncomingMessage, body: string): Answer => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const socket = req.socket as Partial<TLSSocket>;
    const clientCn = socket.authorized === true ? socket.getPeerCertificate?.().subject?.CN : undefined;
    if (req.headers.authorization !== `Bearer ${token}` && !clientCn) {
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
      checkForbidden('get', 'namespaces', undefined, ns);
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
      checkForbidden('get', type.plural, namespace, name);
      const k = key(type.kind, namespace, name);
      const stored = store.get(k);
      if (!stored) throw notFound(name);
      return { code: 200, body: store.get(k) };
    }
    const watchParam = url.searchParams.get('watch');
    if (method === 'GET' && (watchParam === 'true' || watchParam === '1')) {
      checkForbidden('watch', type.plural, namespace);
      const selector = url.searchParams.get('fieldSelector') ?? '';
      const byName = /^metadata\.name=(.+)$/.exec(selector);
      if (selector !== '' && !byName)
        throw new HttpError(400, 'BadRequest', `unable to parse fieldSelector "${selector}"`);
      const timeout = url.searchParams.get('timeoutSeconds');
      return {
        code: 200,
        body: WATCH,
        watch: {
          prefix: `${type.kind}/${namespace}/`,
          ...(byName ? { name: decodeURIComponent(byName[1]!) } : {}),
          resourceVersion: url.searchParams.get('resourceVersion') ?? '',
          ...(timeout !== null ? { timeoutSeconds: Number(timeout) } : {}),
        },
      };
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
      recordUpdate(k, updateManager(req, url), undefined, created);
      created.metadata!.managedFields = managedFieldsOf(managers.get(k)!, operations.get(k)!, type);
      write(k, created, 'ADDED');
      if (type.kind === 'Workflow') workflowSteps.set(k, scriptFor(created, namespace));
      return { code: 201, body: created };
    }
    if (method === 'PATCH' && name !== undefined) {
      return applyPatch(type, namespace, name, body, req, url);
    }
    if (method === 'PUT' && name !== undefined) {
      checkForbidden('update', type.plural, namespace, name);
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
      recordUpdate(k, updateManager(req, url), stored, replaced);
      replaced.metadata!.managedFields = managedFieldsOf(managers.get(k)!, operations.get(k)!, type);
      write(k, replaced, 'MODIFIED');
      return { code: 200, body: replaced };
    }
    throw new HttpError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
  };

  /**
   * Server-side apply (PATCH, application/apply-patch+yaml) as the API server does it
   * (k8s.io/apiserver pkg/endpoints/handlers/patch.go applyPatcher; sigs.k8s.io/structured-merge-diff
   * merge.Updater.Apply), with one simplification: maps merge key by key, lists are atomic (true of
   * Argo's CRDs, whose schemas preserve unknown fields; core types' keyed lists are treated whole).
   * - fieldManager is required; a missing object is created (and needs the create verb too);
   * - a field another manager owns with a different value is a 409 Conflict unless force=true, which
   *   moves the field to the applier;
   * - fields the applier owned and no longer sends are removed unless another manager owns them;
   * - fields of other managers that the apply does not mention are kept.
   */
  function applyPatch(
    type: ResourceType,
    namespace: string,
    name: string,
    body: string,
    req: IncomingMessage,
    url: URL,
  ): Answer {
    checkForbidden('patch', type.plural, namespace, name);
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (contentType !== 'application/apply-patch+yaml') {
      throw new HttpError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
      );
    }
    const manager = url.searchParams.get('fieldManager');
    if (!manager) {
      throw new HttpError(
        422,
        'Invalid',
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    }
    const force = url.searchParams.get('force') === 'true';
    const config = parse(body);
    if (config.metadata?.name !== undefined && config.metadata.name !== name) {
      throw new HttpError(400, 'BadRequest', 'the name of the object does not match the name on the URL');
    }
    if (!namespaces.has(namespace)) {
      throw new HttpError(404, 'NotFound', `namespaces "${namespace}" not found`, {
        name: namespace,
        kind: 'namespaces',
      });
    }
    const k = key(type.kind, namespace, name);
    const stored = store.get(k);
    if (!stored) checkForbidden('create', type.plural, namespace, name);
    const current: KubeObject = stored ? structuredClone(stored) : { metadata: { name, namespace } };
    const owners = managers.get(k) ?? new Map<string, Set<string>>();
    const applied = leaves(config);
    const conflicts: string[] = [];
    for (const [path, value] of applied) {
      const existing = getPath(current, path);
      if (existing === undefined || same(existing, value)) continue;
      for (const [other, fields] of owners) {
        if (other === manager || !fields.has(path)) continue;
        if (force) fields.delete(path);
        else conflicts.push(`conflict with "${other}": ${JSON.parse(path).join('.')}`);
      }
    }
    if (conflicts.length > 0) {
      throw new HttpError(
        409,
        'Conflict',
        `Apply failed with ${conflicts.length} conflict(s): ${conflicts.join(', ')}`,
      );
    }
    const previous = owners.get(manager) ?? new Set<string>();
    for (const path of previous) {
      if (applied.has(path)) continue;
      const sharedWith = [...owners].some(([other, fields]) => other !== manager && fields.has(path));
      if (!sharedWith) deletePath(current, path);
    }
    for (const [path, value] of applied) setPath(current, path, structuredClone(value));
    owners.set(manager, new Set(applied.keys()));
    managers.set(k, owners);
    setOperation(k, manager, 'Apply');
    const metadata = { ...(current.metadata ?? {}) };
    delete metadata.resourceVersion;
    const next = stamp(
      type,
      { ...current, metadata: { ...metadata, managedFields: managedFieldsOf(owners, operations.get(k)!, type) } },
      namespace,
    );
    // An apply that changes nothing does not bump resourceVersion.
    if (stored && same(withoutVersion(stored), withoutVersion(next))) return { code: 200, body: stored };
    if (stored) {
      next.metadata!.uid = stored.metadata!.uid;
      next.metadata!.creationTimestamp = stored.metadata!.creationTimestamp;
    }
    write(k, next, stored ? 'MODIFIED' : 'ADDED');
    return { code: stored ? 200 : 201, body: next };
  }

  /** Update (POST / PUT) managers: the fields they set or change become theirs (operation Update). */
  function recordUpdate(k: string, manager: string, before: KubeObject | undefined, after: KubeObject): void {
    const owners = managers.get(k) ?? new Map<string, Set<string>>();
    const now = leaves(after);
    const old = before ? leaves(before) : new Map<string, unknown>();
    const mine = owners.get(manager) ?? new Set<string>();
    for (const [path, value] of now) {
      if (old.has(path) && same(old.get(path), value)) continue;
      for (const [other, fields] of owners) if (other !== manager) fields.delete(path);
      mine.add(path);
    }
    for (const fields of owners.values()) for (const path of fields) if (!now.has(path)) fields.delete(path);
    owners.set(manager, mine);
    managers.set(k, owners);
    setOperation(k, manager, 'Update');
  }

  function allowedByRules(verb: string, plural: string, name: string | undefined): boolean {
    if (options.rules === undefined) return true;
    const group = TYPES.find((t) => t.plural === plural)?.group ?? '';
    return options.rules.some(
      (rule) =>
        (rule.apiGroups.includes(group) || rule.apiGroups.includes('*')) &&
        (rule.resources.includes(plural) || rule.resources.includes('*')) &&
        (rule.verbs.includes(verb) || rule.verbs.includes('*')) &&
        (rule.resourceNames === undefined ||
          rule.resourceNames.length === 0 ||
          (name !== undefined && rule.resourceNames.includes(name))),
    );
  }

  function checkForbidden(verb: string, plural: string, namespace: string | undefined, name?: string): void {
    if (!options.forbidden?.({ verb, resource: plural, namespace }) && allowedByRules(verb, plural, name)) return;
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

  /**
   * A watch as the API server streams it (k8s.io/apiserver pkg/endpoints/handlers/watch.go): 200, then
   * one JSON event per line. Without a resourceVersion, ADDED for every current object first; with one,
   * the changes after it; a compacted one gets an ERROR event with a 410 Expired Status. The stream
   * ends after timeoutSeconds. While a Workflow is watched, the controller moves it along its script.
   */
  function openWatch(res: ServerResponse, watch: WatchRequest): void {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    let sent = 0;
    const drop = dropNextWatch;
    dropNextWatch = undefined;
    const send = (type: string, object: unknown) => {
      if (res.destroyed) return;
      res.write(`${JSON.stringify({ type, object })}\n`);
      sent++;
      if (drop !== undefined && sent >= drop) {
        watchers.delete(watcher);
        res.socket?.destroy();
      }
    };
    const watcher = { prefix: watch.prefix, ...(watch.name !== undefined ? { name: watch.name } : {}), send };
    const matches = (k: string) =>
      k.startsWith(watch.prefix) && (watch.name === undefined || k === watch.prefix + watch.name);
    if (watch.resourceVersion !== '' && watch.resourceVersion !== '0' && watchGone > 0) {
      watchGone--;
      send('ERROR', {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `too old resource version: ${watch.resourceVersion} (${resourceVersion})`,
        reason: 'Expired',
        code: 410,
      });
      res.end();
      return;
    }
    if (watch.resourceVersion === '' || watch.resourceVersion === '0') {
      for (const [k, object] of store) if (matches(k)) send('ADDED', object);
    } else {
      const from = Number(watch.resourceVersion);
      for (const event of events) if (event.rv > from && matches(event.key)) send(event.type, event.object);
    }
    if (res.destroyed) return;
    watchers.add(watcher);
    const timer =
      watch.timeoutSeconds !== undefined ? setTimeout(() => res.end(), watch.timeoutSeconds * 1000) : undefined;
    res.on('close', () => {
      watchers.delete(watcher);
      if (timer) clearTimeout(timer);
    });
    // The controller works while someone watches: one step per turn of the event loop.
    const step = () => {
      if (res.destroyed || !watchers.has(watcher)) return;
      const pending = [...workflowSteps.keys()].filter(matches);
      if (pending.length === 0) return;
      for (const k of pending) advance(k);
      setImmediate(step);
    };
    if (watch.prefix.startsWith('Workflow/')) setImmediate(step);
  }

  const sockets = new Set<Socket>();
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        ...(req.headers['content-type'] !== undefined ? { contentType: req.headers['content-type'] } : {}),
        ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}),
        ...impersonationOf(req),
      });
      let answer: Answer;
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
      if (answer.watch !== undefined) {
        openWatch(res, answer.watch);
        return;
      }
      if (typeof answer.body === 'string') {
        res.writeHead(answer.code, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(answer.body);
      } else {
        res.writeHead(answer.code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      }
    });
  };
  const server = options.tls
    ? createTlsServer({ ...options.tls, requestCert: true, rejectUnauthorized: false }, listener)
    : createServer(listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;

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
      writeFileSync(
        file,
        kubeconfigYaml(url, kubeconfigOptions.exec ?? kubeconfigOptions.token ?? token, kubeconfigOptions.namespace),
      );
      return file;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An exec credential plugin for the kubeconfig's user. */
export interface ExecUser {
  readonly command: string;
  readonly args?: readonly string[];
  readonly apiVersion?: string;
  readonly installHint?: string;
  readonly env?: Readonly<Record<string, string>>;
}

function execUserLines(exec: ExecUser): string[] {
  return [
    '      exec:',
    `        apiVersion: ${exec.apiVersion ?? 'client.authentication.k8s.io/v1'}`,
    `        command: ${JSON.stringify(exec.command)}`,
    `        args: ${JSON.stringify(exec.args ?? [])}`,
    '        interactiveMode: Never',
    ...(exec.installHint ? [`        installHint: ${JSON.stringify(exec.installHint)}`] : []),
    ...(exec.env
      ? [
          '        env:',
          ...Object.entries(exec.env).map(([n, v]) => `          - {name: ${n}, value: ${JSON.stringify(v)}}`),
        ]
      : []),
  ];
}

/** A kubeconfig (plain http, as `kubectl proxy` writes) with one cluster, user and context, all named `test`. */
export function kubeconfigYaml(server: string, token: string | ExecUser, namespace?: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: test',
    '    cluster:',
    `      server: ${server}`,
    'users:',
    '  - name: test',
    '    user:',
    ...(typeof token === 'string' ? [`      token: ${token}`] : execUserLines(token)),
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

/** Leaf fields of an object for field ownership: maps are walked, lists and scalars are leaves. */
const UNOWNED_METADATA = new Set([
  'name',
  'namespace',
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'managedFields',
  'generation',
  'generateName',
]);
function leaves(object: KubeObject): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (value: unknown, path: string[]) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) {
        if (path.length === 0 && (k === 'apiVersion' || k === 'kind' || k === 'status')) continue;
        if (path.length === 1 && path[0] === 'metadata' && UNOWNED_METADATA.has(k)) continue;
        walk(v, [...path, k]);
      }
      return;
    }
    if (path.length > 0) out.set(JSON.stringify(path), value);
  };
  walk(object, []);
  return out;
}

function getPath(object: unknown, path: string): unknown {
  let value = object;
  for (const k of JSON.parse(path) as string[]) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[k];
  }
  return value;
}

function setPath(object: Record<string, unknown>, path: string, value: unknown): void {
  const keys = JSON.parse(path) as string[];
  let target = object;
  for (const k of keys.slice(0, -1)) {
    const next = target[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) target[k] = {};
    target = target[k] as Record<string, unknown>;
  }
  target[keys.at(-1)!] = value;
}

function deletePath(object: Record<string, unknown>, path: string): void {
  const keys = JSON.parse(path) as string[];
  const parents: Record<string, unknown>[] = [];
  let target: unknown = object;
  for (const k of keys.slice(0, -1)) {
    if (target === null || typeof target !== 'object') return;
    parents.push(target as Record<string, unknown>);
    target = (target as Record<string, unknown>)[k];
  }
  if (target === null || typeof target !== 'object') return;
  delete (target as Record<string, unknown>)[keys.at(-1)!];
  // Maps left empty by the removal go too.
  for (let i = keys.length - 2; i >= 0; i--) {
    const parent = parents[i]!;
    const child = parent[keys[i]!];
    if (child !== null && typeof child === 'object' && Object.keys(child).length === 0) delete parent[keys[i]!];
    else break;
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

function withoutVersion(object: KubeObject): KubeObject {
  const { resourceVersion: _rv, ...metadata } = object.metadata ?? {};
  return { ...object, metadata };
}

/** The manager of a POST / PUT: ?fieldManager, else the user agent's program name (as the API server). */
function updateManager(req: IncomingMessage, url: URL): string {
  return url.searchParams.get('fieldManager') ?? (req.headers['user-agent'] ?? 'unknown').split('/')[0]!;
}

/** metadata.managedFields as the API server writes it (FieldsV1: `f:<key>` nested, `.: {}` for maps). */
function managedFieldsOf(
  owners: Map<string, Set<string>>,
  operations: Map<string, 'Apply' | 'Update'>,
  type: ResourceType,
): unknown[] {
  return [...owners]
    .filter(([, fields]) => fields.size > 0)
    .map(([manager, fields]) => {
      const tree: Record<string, unknown> = {};
      for (const path of fields) {
        let node = tree;
        for (const k of JSON.parse(path) as string[]) {
          node[`f:${k}`] ??= {};
          node = node[`f:${k}`] as Record<string, unknown>;
        }
      }
      return {
        manager,
        operation: operations.get(manager) ?? 'Update',
        apiVersion: type.apiVersion,
        time: '2024-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: tree,
      };
    });
}

/** The request's Impersonate-* headers, each with all its values in order (rawHeaders keeps repeats). */
function impersonationOf(req: IncomingMessage): { impersonation?: Record<string, string[]> } {
  const found: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    if (name.toLowerCase().startsWith('impersonate-')) (found[name] ??= []).push(req.rawHeaders[i + 1]!);
  }
  return Object.keys(found).length > 0 ? { impersonation: found } : {};
}
