import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { PipelineSettings } from './settings.js';

export interface WorkerRbacProps {
  readonly settings: PipelineSettings;
}

/**
 * The workflow pods' identity: a ServiceAccount (unless the config names an existing one) and a namespaced
 * Role + RoleBinding allowing only `workflowtaskresults` create/patch, which Argo's emissary executor
 * needs to report outputs (required since Argo v3.4; workflows fail without it from v3.5.2).
 */
export class WorkerRbac extends Construct {
  static roleNameFor(pipeline: string): string {
    return `${pipeline}-worker`;
  }

  /** Rules of the worker Role, exactly. */
  static readonly RULES = [
    { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] },
  ] as const;

  readonly serviceAccountName: string;

  constructor(scope: Construct, id: string, props: WorkerRbacProps) {
    super(scope, id);
    const { settings } = props;
    const labels = { ...settings.labels, 'app.kubernetes.io/component': 'worker-rbac' };
    const roleName = WorkerRbac.roleNameFor(settings.name);
    this.serviceAccountName = settings.serviceAccount;
    if (settings.createServiceAccount) {
      new k8s.KubeServiceAccount(this, 'ServiceAccount', {
        metadata: { name: settings.serviceAccount, namespace: settings.namespace, labels },
      });
    }
    new k8s.KubeRole(this, 'Role', {
      metadata: { name: roleName, namespace: settings.namespace, labels },
      rules: WorkerRbac.RULES.map((r) => ({
        apiGroups: [...r.apiGroups],
        resources: [...r.resources],
        verbs: [...r.verbs],
      })),
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: roleName, namespace: settings.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name: settings.serviceAccount, namespace: settings.namespace }],
    });
  }
}
