/**
 * The Kubernetes "restricted" Pod Security Standard for worker pods (DESIGN.md "Argo shape" 12), and the
 * volumes a read-only root filesystem needs. Argo replaces (does not merge) a workflow-level security
 * context with a template-level one, so the pod context is set once, on the workflow spec only.
 */
import { CONFIG_MOUNT_DIR, WORK_DIR } from '../runtime/worker-contract.js';

export const VOLUMES = { config: 'config', work: 'work', tmp: 'tmp' } as const;

/** Pod-level: non-root with a numeric UID (the image's user may be root otherwise) and RuntimeDefault seccomp. */
export function podSecurityContext(runAsUser: number) {
  return {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup: runAsUser,
    fsGroup: runAsUser,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level: no privilege escalation, no capabilities, nothing writable but the emptyDirs. */
export function containerSecurityContext(runAsUser: number) {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The ConfigMap with the pipeline's config, and emptyDirs for outputs (WORK_DIR) and /tmp. */
export function podVolumes(configMapName: string) {
  return [
    { name: VOLUMES.config, configMap: { name: configMapName } },
    { name: VOLUMES.work, emptyDir: {} },
    { name: VOLUMES.tmp, emptyDir: {} },
  ];
}

/** Mount order matters: /tmp before WORK_DIR (which lies under /tmp). */
export function containerVolumeMounts() {
  return [
    { name: VOLUMES.config, mountPath: CONFIG_MOUNT_DIR, readOnly: true },
    { name: VOLUMES.tmp, mountPath: '/tmp' },
    { name: VOLUMES.work, mountPath: WORK_DIR },
  ];
}
