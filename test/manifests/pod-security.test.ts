import { describe, expect, it } from 'vitest';
import { synthPipelineObjects } from '../../src/manifests/index.js';
import { WORK_DIR } from '../../src/runtime/worker-contract.js';
import {
  baseConfig,
  exampleFiles,
  isArgoExample,
  loadExample,
  loadObject,
  templateSpec,
  type TemplateSpec,
} from './fixtures.js';
import { restrictedViolations } from './pod-security.js';

type Obj = Record<string, unknown>;

function podsOf(spec: TemplateSpec) {
  return spec.templates
    .filter((t) => t.container)
    .map((t) => ({
      template: t.name,
      // A template-level securityContext would replace the workflow's; none is set, so the spec's applies.
      podSecurityContext:
        (t as Obj).securityContext === undefined ? spec.securityContext : ((t as Obj).securityContext as Obj),
      containers: [{ name: t.name, ...t.container! }],
      volumes: spec.volumes,
    }));
}

describe('every pod spec', () => {
  const specs = [
    ...exampleFiles()
      .filter(isArgoExample)
      .map((name) => [name, templateSpec(synthPipelineObjects(loadExample(name)))] as const),
    ['runAsUser 4242', templateSpec(synthPipelineObjects(loadObject(baseConfig({ runAsUser: 4242 }))))] as const,
  ];

  it.each(specs)('of %s meets the restricted Pod Security Standard', (_name, spec) => {
    const pods = podsOf(spec);
    expect(pods).toHaveLength(3);
    for (const pod of pods) expect(restrictedViolations(pod), pod.template).toEqual([]);
  });

  it('mounts emptyDirs at /tmp and the work directory, and the config read-only', () => {
    const [, spec] = specs[0]!;
    for (const pod of podsOf(spec)) {
      const mounts =
        (pod.containers[0]!.volumeMounts as { mountPath: string; name: string; readOnly?: boolean }[]) ?? [];
      const volumeOf = (path: string) =>
        spec.volumes.find((v) => v.name === mounts.find((m) => m.mountPath === path)?.name);
      expect(volumeOf('/tmp')).toHaveProperty('emptyDir');
      expect(volumeOf(WORK_DIR)).toHaveProperty('emptyDir');
      expect(volumeOf('/etc/argo-ingest')).toHaveProperty('configMap');
      expect(mounts.find((m) => m.mountPath === '/etc/argo-ingest')!.readOnly).toBe(true);
    }
  });

  it('uses the configured UID', () => {
    const spec = specs.at(-1)![1];
    expect(spec.securityContext).toMatchObject({ runAsUser: 4242, runAsNonRoot: true });
  });
});

describe('the restricted-profile checker', () => {
  const good = podsOf(templateSpec(synthPipelineObjects(loadObject(baseConfig()))))[0]!;
  const withContainer = (patch: Obj) => ({
    ...good,
    containers: [
      { ...good.containers[0]!, securityContext: { ...(good.containers[0]!.securityContext as Obj), ...patch } },
    ],
  });

  it.each([
    ['privilege escalation', { allowPrivilegeEscalation: true }, /allowPrivilegeEscalation/],
    ['kept capabilities', { capabilities: { drop: ['NET_RAW'] } }, /drop must include ALL/],
    ['an added capability', { capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } }, /SYS_ADMIN/],
    ['root', { runAsUser: 0 }, /runAsUser must not be 0/],
    ['root allowed', { runAsNonRoot: false }, /runAsNonRoot/],
    ['unconfined seccomp', { seccompProfile: { type: 'Unconfined' } }, /seccompProfile/],
    ['a writable root filesystem', { readOnlyRootFilesystem: false }, /readOnlyRootFilesystem/],
  ])('flags %s', (_what, patch, message) => {
    expect(restrictedViolations(good)).toEqual([]);
    expect(restrictedViolations(withContainer(patch)).join('\n')).toMatch(message);
  });

  it('flags a hostPath volume and a missing pod context', () => {
    expect(restrictedViolations({ ...good, volumes: [{ name: 'h', hostPath: { path: '/' } }] }).join()).toMatch(
      /hostPath/,
    );
    const bare = { containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false } }] };
    expect(restrictedViolations(bare).join('\n')).toMatch(/runAsNonRoot must be true[\s\S]*numeric UID[\s\S]*seccomp/);
  });
});
