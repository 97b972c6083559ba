import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CONFIG_FILE_NAME } from '../runtime/worker-contract.js';
import type { PipelineSettings } from './settings.js';

export interface PipelineConfigMapProps {
  /** The pipeline this ConfigMap belongs to (name, namespace, labels and the config text). */
  readonly settings: PipelineSettings;
  /** The ConfigMap's name. @default "<pipeline>-config" */
  readonly name?: string;
}

/** `<name>-config`: the config text as written, `${VAR}` placeholders intact (values come from Secrets). */
export class PipelineConfigMap extends Construct {
  static nameFor(pipeline: string): string {
    return `${pipeline}-config`;
  }

  readonly name: string;
  /** The ConfigMap object (edit it through `apiObject.addJsonPatch`). */
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: PipelineConfigMapProps) {
    super(scope, id);
    const { settings } = props;
    this.name = props.name ?? PipelineConfigMap.nameFor(settings.name);
    this.apiObject = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: settings.namespace,
        labels: { ...settings.labels, 'app.kubernetes.io/component': 'config' },
      },
      data: { [CONFIG_FILE_NAME]: settings.configText },
    });
  }
}
