/** REST paths of the kinds argo-ingest applies and submits. */

export interface ResourceType {
  readonly prefix: string;
  readonly plural: string;
}

export const ARGO_API = '/apis/argoproj.io/v1alpha1';

const TYPES: Readonly<Record<string, ResourceType>> = {
  'v1/ConfigMap': { prefix: '/api/v1', plural: 'configmaps' },
  'v1/ServiceAccount': { prefix: '/api/v1', plural: 'serviceaccounts' },
  'rbac.authorization.k8s.io/v1/Role': { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'roles' },
  'rbac.authorization.k8s.io/v1/RoleBinding': {
    prefix: '/apis/rbac.authorization.k8s.io/v1',
    plural: 'rolebindings',
  },
  'argoproj.io/v1alpha1/WorkflowTemplate': { prefix: ARGO_API, plural: 'workflowtemplates' },
  'argoproj.io/v1alpha1/CronWorkflow': { prefix: ARGO_API, plural: 'cronworkflows' },
  'argoproj.io/v1alpha1/Workflow': { prefix: ARGO_API, plural: 'workflows' },
};

/** Where an object's kind is served; throws for a kind argo-ingest does not apply. */
export function resourceType(apiVersion: string, kind: string): ResourceType {
  const type = TYPES[`${apiVersion}/${kind}`];
  if (!type) throw new Error(`argo-ingest cannot apply ${kind} (${apiVersion})`);
  return type;
}

/** The collection path of an object's kind in a namespace (POST target). */
export function collectionPath(apiVersion: string, kind: string, namespace: string): string {
  const type = resourceType(apiVersion, kind);
  return `${type.prefix}/namespaces/${encodeURIComponent(namespace)}/${type.plural}`;
}

/** The path of one named object (GET / PUT target). */
export function objectPath(apiVersion: string, kind: string, namespace: string, name: string): string {
  return `${collectionPath(apiVersion, kind, namespace)}/${encodeURIComponent(name)}`;
}

export function workflowPath(namespace: string, name: string): string {
  return objectPath('argoproj.io/v1alpha1', 'Workflow', namespace, name);
}
