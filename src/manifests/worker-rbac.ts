import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { PipelineSettings } from './settings.js';

/**
 * A ServiceAccount by name. `WorkerRbac.serviceAccount` is one, and so is any cdk8s-plus `IServiceAccount`
 * (`ServiceAccount.fromServiceAccountName(...)` or a `ServiceAccount` of your own chart).
 */
export interface ServiceAccountReference {
  readonly name: string;
}

export interface WorkerRbacProps {
  /** The pipeline whose workflow pods get this identity. */
  readonly settings: PipelineSettings;
  /** Name of the Role and RoleBinding. @default "<pipeline>-worker" */
  readonly roleName?: string;
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

  /** The ServiceAccount the workflow pods run as (created here, or the existing one the config names). */
  readonly serviceAccount: ServiceAccountReference;
  /** The Role object; `roleBinding` and `serviceAccountObject` are the others. */
  readonly apiObject: ApiObject;
  readonly roleBinding: ApiObject;
  /** The ServiceAccount object, when this construct creates it. */
  readonly serviceAccountObject?: ApiObject;

  constructor(scope: Construct, id: string, props: WorkerRbacProps) {
    super(scope, id);
    const { settings } = props;
    const labels = { ...settings.labels, 'app.kubernetes.io/component': 'worker-rbac' };
    const roleName = props.roleName ?? WorkerRbac.roleNameFor(settings.name);
    this.serviceAccount = { name: settings.serviceAccount };
    if (settings.createServiceAccount) {
      this.serviceAccountObject = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
        metadata: { name: settings.serviceAccount, namespace: settings.namespace, labels },
      });
    }
    this.apiObject = new k8s.KubeRole(this, 'Role', {
      metadata: { name: roleName, namespace: settings.namespace, labels },
      rules: WorkerRbac.RULES.map((r) => ({
        apiGroups: [...r.apiGroups],
        resources: [...r.resources],
        verbs: [...r.verbs],
      })),
    });
    this.roleBinding = new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: roleName, namespace: settings.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name: settings.serviceAccount, namespace: settings.namespace }],
    });
  }
}
