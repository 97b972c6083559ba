import { describe, expect, it } from 'vitest';
import { synthPipelineObjects } from '../../src/manifests/index.js';
import { baseConfig, byKind, exampleFiles, isArgoExample, loadExample, loadObject } from './fixtures.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const synth = (distributed: Record<string, unknown> = {}) =>
  synthPipelineObjects(loadObject(baseConfig(distributed))) as Obj[];
const named = (objects: Obj[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('worker RBAC', () => {
  const objects = synth();

  it('is a ServiceAccount with a Role allowing only workflowtaskresults create/patch', () => {
    expect(named(objects, 'ServiceAccount', 'warehouse-pg-worker')).toBeDefined();
    expect(named(objects, 'Role', 'warehouse-pg-worker')!.rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] },
    ]);
    expect(named(objects, 'RoleBinding', 'warehouse-pg-worker')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'warehouse-pg-worker' },
      subjects: [{ kind: 'ServiceAccount', name: 'warehouse-pg-worker', namespace: 'ingestion' }],
    });
  });

  it('binds a configured ServiceAccount instead of creating one', () => {
    const own = synth({ serviceAccount: 'platform-ingestion' });
    expect(byKind(own, 'ServiceAccount')).toEqual([]);
    expect(named(own, 'RoleBinding', 'warehouse-pg-worker')!.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'platform-ingestion', namespace: 'ingestion' },
    ]);
  });
});

describe('submitter RBAC', () => {
  it('exists only when a submitter is configured', () => {
    expect(named(synth(), 'Role', 'warehouse-pg-submitter')).toBeUndefined();
  });

  it("allows workflows create/get/list/watch and get on this pipeline's WorkflowTemplate", () => {
    const objects = synth({ submitter: { serviceAccount: 'ingestion-ci' } });
    expect(named(objects, 'Role', 'warehouse-pg-submitter')!.rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflows'], verbs: ['create', 'get', 'list', 'watch'] },
      { apiGroups: ['argoproj.io'], resources: ['workflowtemplates'], resourceNames: ['warehouse-pg'], verbs: ['get'] },
    ]);
    expect(named(objects, 'RoleBinding', 'warehouse-pg-submitter')).toMatchObject({
      roleRef: { kind: 'Role', name: 'warehouse-pg-submitter' },
      subjects: [{ kind: 'ServiceAccount', name: 'ingestion-ci', namespace: 'ingestion' }],
    });
  });
});

describe('every example', () => {
  it.each(exampleFiles().filter(isArgoExample))('%s has namespaced RBAC only, with no wildcards', (name) => {
    const objects = synthPipelineObjects(loadExample(name)) as Obj[];
    const kinds = objects.map((o) => o.kind);
    expect(kinds).not.toContain('ClusterRole');
    expect(kinds).not.toContain('ClusterRoleBinding');
    for (const role of byKind(objects, 'Role') as Obj[]) {
      for (const rule of role.rules) {
        expect([...rule.verbs, ...rule.resources, ...rule.apiGroups]).not.toContain('*');
        expect(rule.verbs).not.toContain('delete');
      }
    }
    for (const binding of byKind(objects, 'RoleBinding') as Obj[]) expect(binding.roleRef.kind).toBe('Role');
  });
});
