/**
 * Checks of the Kubernetes "restricted" Pod Security Standard (kubernetes.io/docs/concepts/security/
 * pod-security-standards, v1.27+), applied to an Argo template's pod: the workflow-level pod security
 * context (Argo replaces it, without merging, when a template sets its own) and each container.
 */
type Obj = Record<string, unknown>;

const ALLOWED_VOLUME_TYPES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/** Each restricted-profile violation of a pod made of `podSecurityContext`, `containers` and `volumes`. */
export function restrictedViolations(pod: {
  readonly podSecurityContext?: Obj;
  readonly containers: readonly Obj[];
  readonly volumes?: readonly Obj[];
  readonly hostNetwork?: boolean;
}): string[] {
  const found: string[] = [];
  const podSc = pod.podSecurityContext ?? {};
  if (pod.hostNetwork) found.push('hostNetwork must not be set');
  for (const volume of pod.volumes ?? []) {
    const types = Object.keys(volume).filter((k) => k !== 'name');
    for (const type of types)
      if (!ALLOWED_VOLUME_TYPES.has(type)) found.push(`volume ${String(volume.name)}: ${type} is not allowed`);
  }
  const podSeccomp = (podSc.seccompProfile as Obj | undefined)?.type;
  for (const container of pod.containers) {
    const name = String(container.name ?? 'main');
    const sc = (container.securityContext ?? {}) as Obj;
    const runAsNonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    if (runAsNonRoot !== true) found.push(`${name}: runAsNonRoot must be true`);
    const runAsUser = sc.runAsUser ?? podSc.runAsUser;
    if (runAsUser === 0) found.push(`${name}: runAsUser must not be 0`);
    if (typeof runAsUser !== 'number')
      found.push(`${name}: runAsUser must be a numeric UID (the image may run as root)`);
    const seccomp = (sc.seccompProfile as Obj | undefined)?.type ?? podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      found.push(`${name}: seccompProfile must be RuntimeDefault`);
    if (sc.allowPrivilegeEscalation !== false) found.push(`${name}: allowPrivilegeEscalation must be false`);
    if (sc.privileged === true) found.push(`${name}: privileged must not be true`);
    const caps = (sc.capabilities ?? {}) as { drop?: string[]; add?: string[] };
    if (!caps.drop?.includes('ALL')) found.push(`${name}: capabilities.drop must include ALL`);
    for (const cap of caps.add ?? [])
      if (cap !== 'NET_BIND_SERVICE') found.push(`${name}: capability ${cap} may not be added`);
    // Not part of the standard, but DESIGN.md requires it: nothing writable but the emptyDirs.
    if (sc.readOnlyRootFilesystem !== true) found.push(`${name}: readOnlyRootFilesystem must be true`);
  }
  return found;
}
