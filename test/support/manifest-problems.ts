/** Problems of one manifest: Argo kinds against both vendored CRD versions, core kinds against the Kubernetes models. */
import { ARGO_VERSIONS, crdValidator } from './crd-validator.js';
import { validateCoreObject } from './k8s-core-validator.js';

export function manifestProblems(object: Record<string, unknown>): string[] {
  if (String(object.apiVersion).startsWith('argoproj.io/')) {
    return ARGO_VERSIONS.flatMap((v) =>
      crdValidator(v)
        .validate(object)
        .map((e) => `[${v}] ${e}`),
    );
  }
  return validateCoreObject(object);
}
