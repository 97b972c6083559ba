/**
 * Errors a user can act on. Every submission failure reads
 * `Failed to create workflow via Kubernetes API: <cause>` followed by the fix (the seed's troubleshooting
 * steps), and never contains a token: causes come from the API server's Status message, which names the
 * user and the resource but no credential.
 */

export const SUBMIT_FAILED = 'Failed to create workflow via Kubernetes API';

/** A user-facing error (src/cli/errors.ts prints its message only). */
export class ClusterError extends Error {
  readonly userFacing = true;
  constructor(
    message: string,
    /** The cause alone, without prefix and fix (tests, logs). */
    readonly problem: string,
    readonly fix: string,
    /** 2 when the command line or kubeconfig is wrong (a mistyped --context), else 1. */
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'ClusterError';
  }
}

/** `Failed to create workflow via Kubernetes API: <cause>` + `Fix: <fix>` on the next line. */
export function clusterError(cause: string, fix: string, exitCode = 1): ClusterError {
  return new ClusterError(`${SUBMIT_FAILED}: ${cause}\n  Fix: ${fix}`, cause, fix, exitCode);
}

/** An answer other than 2xx from the API server, with the parts of its Status body. */
export class KubeHttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    /** Status.reason (NotFound, AlreadyExists, Conflict, Forbidden, ...), when the body was a Status. */
    readonly reason: string | undefined,
    /** Status.message, or the start of a non-JSON body. */
    readonly detail: string,
    /** Status.details.name: set when a named object was not found (not when its type is unknown). */
    readonly objectName: string | undefined,
  ) {
    super(`${method} ${path}: ${status}${reason ? ` ${reason}` : ''}: ${detail}`);
    this.name = 'KubeHttpError';
  }
}

/** The API server could not be reached (refused, DNS, TLS, timeout). */
export class KubeUnreachableError extends Error {
  constructor(
    readonly server: string,
    /** ECONNREFUSED, ENOTFOUND, ETIMEDOUT, a TLS error code, ... */
    readonly code: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'KubeUnreachableError';
  }
}

export interface ExplainContext {
  readonly server: string;
  readonly context: string;
  readonly namespace: string;
}

/**
 * Turns a failed API call into the message for the user. Cases with a known fix: unreachable server,
 * 401 (expired or invalid token), 403 (RBAC), a missing namespace, Argo CRDs not installed.
 */
export function explainKubeError(error: unknown, ctx: ExplainContext): Error {
  if (error instanceof ClusterError) return error;
  if (error instanceof KubeUnreachableError && /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS/.test(error.code)) {
    return clusterError(
      `the API server ${error.server} of context "${ctx.context}" presented a certificate this client does not trust (${error.code}: ${error.message})`,
      `set certificate-authority or certificate-authority-data for the cluster in the kubeconfig (the cloud CLI that wrote it can write it again), or tls-server-name when the certificate names another host; check with "kubectl --context ${ctx.context} cluster-info"`,
    );
  }
  if (error instanceof KubeUnreachableError && error.code === 'EPROXY') {
    return clusterError(
      `cannot reach the API server ${error.server} of context "${ctx.context}": ${error.message}`,
      `check the proxy: the cluster's proxy-url in the kubeconfig, or HTTPS_PROXY / NO_PROXY in the environment (kubectl uses the same); "kubectl --context ${ctx.context} cluster-info" goes the same way`,
    );
  }
  if (error instanceof KubeUnreachableError) {
    return clusterError(
      `cannot reach the API server ${error.server} of context "${ctx.context}" (${error.code}: ${error.message})`,
      `check that the cluster is running and reachable from here (VPN, proxy, firewall): "kubectl --context ${ctx.context} cluster-info"; pick another context with --context`,
    );
  }
  if (!(error instanceof KubeHttpError)) return error instanceof Error ? error : new Error(String(error));
  if (error.status === 401) {
    return clusterError(
      `the API server rejected the credentials of context "${ctx.context}" (401 Unauthorized): the token has expired or is not valid`,
      'refresh the credentials in your kubeconfig (e.g. "aws eks update-kubeconfig", "gcloud container clusters get-credentials", "az aks get-credentials", or log in to your OIDC provider again), then check with "kubectl auth whoami"',
    );
  }
  if (error.status === 403 && error.method === 'PATCH') {
    // Applying needs rights over ConfigMaps, ServiceAccounts, Roles, RoleBindings and templates that a
    // CI identity with only the submitter Role lacks; a GitOps tool applies them instead.
    return clusterError(
      `permission denied while applying the manifests (403 Forbidden): ${error.detail}`,
      `if Argo CD / Flux applies the synthesized manifests (dist/), submit with "argo-ingest run --no-apply", which needs only the submitter Role; otherwise grant this identity patch on the pipeline's objects in namespace "${ctx.namespace}" ("kubectl auth can-i patch configmaps -n ${ctx.namespace}")`,
    );
  }
  if (error.status === 403) {
    return clusterError(
      `permission denied (403 Forbidden): ${error.detail}`,
      `grant the identity that runs argo-ingest the submitter permissions in namespace "${ctx.namespace}" (set distributedExecution.submitter.serviceAccount and apply the synthesized Role/RoleBinding, or ask a cluster admin), then check with "kubectl auth can-i create workflows.argoproj.io -n ${ctx.namespace}"`,
    );
  }
  if (error.status === 404 && isMissingNamespace(error, ctx.namespace)) return missingNamespace(ctx.namespace);
  if (error.status === 404 && error.path.startsWith('/apis/argoproj.io/') && error.objectName === undefined) {
    return missingArgo();
  }
  return clusterError(
    `${error.message}`,
    'check the object and your permissions with kubectl; rerun with ARGO_INGEST_DEBUG=1 for details',
  );
}

export function missingNamespace(namespace: string): ClusterError {
  return clusterError(
    `namespace "${namespace}" does not exist`,
    `create it ("kubectl create namespace ${namespace}") or choose another one with distributedExecution.namespace or --namespace; check with "kubectl get namespace ${namespace}"`,
  );
}

export function missingArgo(): ClusterError {
  return clusterError(
    'Argo Workflows is not installed: the API server does not serve workflows.argoproj.io (the Argo CRDs are missing)',
    'install Argo Workflows ("kubectl create namespace argo && kubectl apply -n argo -f https://github.com/argoproj/argo-workflows/releases/latest/download/install.yaml"), then check with "kubectl get crd workflows.argoproj.io"',
  );
}

export function missingServiceAccount(name: string, namespace: string): ClusterError {
  return clusterError(
    `ServiceAccount "${name}" (distributedExecution.serviceAccount) does not exist in namespace "${namespace}"`,
    `create it ("kubectl create serviceaccount ${name} -n ${namespace}", with a Role allowing workflowtaskresults create/patch), or remove distributedExecution.serviceAccount so that argo-ingest creates one with least-privilege RBAC; check with "kubectl get serviceaccount ${name} -n ${namespace}"`,
  );
}

function isMissingNamespace(error: KubeHttpError, namespace: string): boolean {
  return error.detail === `namespaces "${namespace}" not found`;
}
