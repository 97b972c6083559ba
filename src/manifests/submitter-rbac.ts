import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { PipelineSettings } from './settings.js';
import type { ServiceAccountReference } from './worker-rbac.js';
import type { IngestionWorkflowTemplate } from './workflow-template.js';

export interface SubmitterRbacProps {
  /** The pipeline whose workflows may be submitted. */
  readonly settings: PipelineSettings;
  /** The only WorkflowTemplate the submitter may read. */
  readonly workflowTemplate: IngestionWorkflowTemplate;
  /** The ServiceAccount allowed to submit this pipeline's workflows (in the pipeline's namespace). */
  readonly serviceAccount: ServiceAccountReference;
  /** Name of the Role and RoleBinding. @default "<pipeline>-submitter" */
  readonly roleName?: string;
}

/**
 * Lets one ServiceAccount (a CI job, `argo-ingest run` in a pod) submit and follow this pipeline's
 * workflows: `workflows` create/get/list/watch and `get` on this pipeline's WorkflowTemplate only.
 */
export class SubmitterRbac extends Construct {
  static roleNameFor(pipeline: string): string {
    return `${pipeline}-submitter`;
  }

  /** Rules of the submitter Role, exactly (`templateName` is the pipeline's WorkflowTemplate). */
  static rules(templateName: string) {
    return [
      { apiGroups: ['argoproj.io'], resources: ['workflows'], verbs: ['create', 'get', 'list', 'watch'] },
      { apiGroups: ['argoproj.io'], resources: ['workflowtemplates'], resourceNames: [templateName], verbs: ['get'] },
    ];
  }

  /** The Role object; `roleBinding` is the other one. */
  readonly apiObject: ApiObject;
  readonly roleBinding: ApiObject;

  constructor(scope: Construct, id: string, props: SubmitterRbacProps) {
    super(scope, id);
    const { settings } = props;
    const labels = { ...settings.labels, 'app.kubernetes.io/component': 'submitter-rbac' };
    const roleName = props.roleName ?? SubmitterRbac.roleNameFor(settings.name);
    this.apiObject = new k8s.KubeRole(this, 'Role', {
      metadata: { name: roleName, namespace: settings.namespace, labels },
      rules: SubmitterRbac.rules(props.workflowTemplate.name),
    });
    this.roleBinding = new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: roleName, namespace: settings.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name: props.serviceAccount.name, namespace: settings.namespace }],
    });
  }
}
