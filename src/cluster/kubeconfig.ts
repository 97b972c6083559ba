/**
 * Which cluster and identity to talk to: `--kubeconfig` (tests, scripts), else `KUBECONFIG`, else
 * `~/.kube/config`, else the in-cluster ServiceAccount (when `run` itself runs in a pod). `--context`
 * picks a context of that kubeconfig.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { clusterError } from './errors.js';

/** Where client-node looks for the in-cluster token. */
const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export interface KubeConfigOptions {
  /** A kubeconfig file. @default KUBECONFIG, then ~/.kube/config, then in-cluster */
  readonly kubeconfig?: string;
  /** A context of the kubeconfig. @default its current-context */
  readonly context?: string;
  /** The environment (KUBECONFIG, HOME). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

export interface LoadedKubeConfig {
  readonly kubeConfig: KubeConfig;
  /** The context in use (`in-cluster` inside a pod). */
  readonly context: string;
  /** The API server URL. */
  readonly server: string;
}

export function loadKubeConfig(options: KubeConfigOptions = {}): LoadedKubeConfig {
  const env = options.env ?? process.env;
  const kc = new KubeConfig();
  const explicit = options.kubeconfig ?? (env.KUBECONFIG ? env.KUBECONFIG : undefined);
  const home = env.HOME ?? homedir();
  try {
    if (options.kubeconfig !== undefined) {
      kc.loadFromFile(options.kubeconfig);
    } else if (explicit !== undefined || existsSync(join(home, '.kube', 'config'))) {
      // loadFromDefault merges every file of a KUBECONFIG list, as kubectl does.
      kc.loadFromDefault();
    } else if (env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) {
      kc.loadFromCluster();
    } else {
      throw clusterError(
        'no kubeconfig found (KUBECONFIG is not set, ~/.kube/config does not exist, and this is not a pod)',
        'point KUBECONFIG at your cluster\'s kubeconfig, or fetch one (e.g. "aws eks update-kubeconfig", "gcloud container clusters get-credentials", "az aks get-credentials")',
      );
    }
  } catch (error) {
    if ((error as { userFacing?: boolean }).userFacing) throw error;
    throw clusterError(
      `cannot read the kubeconfig ${explicit ?? join(home, '.kube', 'config')}: ${(error as Error).message}`,
      'check the file with "kubectl config view"',
    );
  }
  if (options.context !== undefined) {
    if (!kc.getContextObject(options.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw clusterError(
        `context "${options.context}" is not in the kubeconfig`,
        `use one of: ${known.length > 0 ? known.join(', ') : '(none)'} ("kubectl config get-contexts" lists them)`,
      );
    }
    kc.setCurrentContext(options.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw clusterError(
      `the kubeconfig's context "${kc.getCurrentContext()}" names no cluster`,
      'choose a context with --context, or fix current-context ("kubectl config use-context NAME")',
    );
  }
  return { kubeConfig: kc, context: kc.getCurrentContext(), server: cluster.server };
}
