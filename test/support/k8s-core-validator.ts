/**
 * Validates Kubernetes core objects (ConfigMap, ServiceAccount, Role, RoleBinding, ...) against the models
 * of @kubernetes/client-node: each model's `attributeTypeMap` gives its fields and their types, so unknown
 * fields and wrong types are caught. The models carry no `required` lists; the few that matter here are
 * listed below from the Kubernetes API reference.
 */
import * as k8s from '@kubernetes/client-node';

interface Attribute {
  readonly name: string;
  readonly baseName: string;
  readonly type: string;
  readonly format: string;
}

interface Model {
  readonly attributeTypeMap?: readonly Attribute[];
  getAttributeTypeMap?(): readonly Attribute[];
}

/** apiVersion + kind -> the model class name. */
export const CORE_KINDS: Readonly<Record<string, { readonly apiVersion: string; readonly model: string }>> = {
  ConfigMap: { apiVersion: 'v1', model: 'V1ConfigMap' },
  Secret: { apiVersion: 'v1', model: 'V1Secret' },
  ServiceAccount: { apiVersion: 'v1', model: 'V1ServiceAccount' },
  Role: { apiVersion: 'rbac.authorization.k8s.io/v1', model: 'V1Role' },
  RoleBinding: { apiVersion: 'rbac.authorization.k8s.io/v1', model: 'V1RoleBinding' },
  ClusterRole: { apiVersion: 'rbac.authorization.k8s.io/v1', model: 'V1ClusterRole' },
  ClusterRoleBinding: { apiVersion: 'rbac.authorization.k8s.io/v1', model: 'V1ClusterRoleBinding' },
};

/** Required fields per model (Kubernetes API reference). */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  V1ObjectMeta: ['name'],
  V1RoleBinding: ['roleRef'],
  V1ClusterRoleBinding: ['roleRef'],
  V1RoleRef: ['apiGroup', 'kind', 'name'],
  RbacV1Subject: ['kind', 'name'],
  V1PolicyRule: ['verbs'],
  V1LocalObjectReference: ['name'],
};

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(|[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function modelOf(name: string): Model | undefined {
  const model = (k8s as unknown as Record<string, Model | undefined>)[name];
  return model && (model.attributeTypeMap || model.getAttributeTypeMap) ? model : undefined;
}

function attributesOf(model: Model): readonly Attribute[] {
  return model.getAttributeTypeMap?.() ?? model.attributeTypeMap ?? [];
}

/** Problems found in `object`, one `path: message` line each; empty when valid. */
export function validateCoreObject(object: Record<string, unknown>): string[] {
  const kind = CORE_KINDS[String(object.kind)];
  if (!kind) return [`kind: ${String(object.kind)} is not a known core kind`];
  const errors: string[] = [];
  if (object.apiVersion !== kind.apiVersion) errors.push(`/apiVersion: must be ${kind.apiVersion}`);
  checkType(kind.model, object, '', errors);
  const metadata = object.metadata as
    { name?: unknown; namespace?: unknown; labels?: Record<string, unknown> } | undefined;
  if (typeof metadata?.name === 'string' && (metadata.name.length > 253 || !DNS1123_SUBDOMAIN.test(metadata.name))) {
    errors.push(`/metadata/name: "${metadata.name}" is not a DNS-1123 subdomain`);
  }
  if (typeof metadata?.namespace === 'string' && !DNS1123_LABEL.test(metadata.namespace)) {
    errors.push(`/metadata/namespace: "${metadata.namespace}" is not a DNS-1123 label`);
  }
  for (const [key, value] of Object.entries(metadata?.labels ?? {})) {
    if (!LABEL_KEY.test(key)) errors.push(`/metadata/labels: invalid key "${key}"`);
    if (typeof value === 'string' && (value.length > 63 || !LABEL_VALUE.test(value))) {
      errors.push(`/metadata/labels/${key}: invalid value "${value}"`);
    }
  }
  return errors;
}

function checkType(type: string, value: unknown, path: string, errors: string[]): void {
  const where = path || '/';
  if (value === undefined || value === null) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) return void errors.push(`${where}: must be a list`);
    value.forEach((item, i) => checkType(array[1]!, item, `${path}/${i}`, errors));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value !== 'object' || Array.isArray(value)) return void errors.push(`${where}: must be a mapping`);
    for (const [k, v] of Object.entries(value)) checkType(map[1]!, v, `${path}/${k}`, errors);
    return;
  }
  switch (type) {
    case 'string':
    case 'Date':
      if (typeof value !== 'string') errors.push(`${where}: must be a string`);
      return;
    case 'number':
      if (typeof value !== 'number') errors.push(`${where}: must be a number`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${where}: must be a boolean`);
      return;
    case 'IntOrString':
      if (typeof value !== 'string' && !Number.isInteger(value))
        errors.push(`${where}: must be an integer or a string`);
      return;
    case 'any':
      return;
  }
  const model = modelOf(type);
  if (!model) return void errors.push(`${where}: no model ${type} in @kubernetes/client-node`);
  if (typeof value !== 'object' || Array.isArray(value))
    return void errors.push(`${where}: must be a mapping (${type})`);
  const attributes = new Map(attributesOf(model).map((a) => [a.baseName, a]));
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const attribute = attributes.get(key);
    if (!attribute) errors.push(`${path}/${key}: unknown field of ${type}`);
    else checkType(attribute.type, child, `${path}/${key}`, errors);
  }
  for (const required of REQUIRED[type] ?? []) {
    if ((value as Record<string, unknown>)[required] === undefined)
      errors.push(`${where}: ${required} is required (${type})`);
  }
}
