import { describe, expect, it } from 'vitest';
import { synthPipelineObjects } from '../../src/manifests/index.js';
import { ARGO_VERSIONS, crdValidator } from '../support/crd-validator.js';
import { validateCoreObject } from '../support/k8s-core-validator.js';
import { baseConfig, byKind, loadObject } from './fixtures.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const objects = synthPipelineObjects(
  loadObject(baseConfig({ schedule: '0 2 * * *', submitter: { serviceAccount: 'ci' } })),
);
const template = byKind(objects, 'WorkflowTemplate')[0] as Obj;
const cron = byKind(objects, 'CronWorkflow')[0] as Obj;

describe.each(ARGO_VERSIONS)('the CRD validator for Argo %s', (version) => {
  const validator = crdValidator(version);

  it('accepts the synthesized WorkflowTemplate and CronWorkflow', () => {
    expect(validator.validate(template)).toEqual([]);
    expect(validator.validate(cron)).toEqual([]);
  });

  it('rejects an unknown field, which the CRD schema alone would let through', () => {
    const broken = structuredClone(template);
    broken.spec.templates[0].steps[1][0].parallelism = 5; // Argo has no parallelism on a step
    expect(validator.validate(broken).join('\n')).toMatch(/additional properties \(parallelism\)/);
  });

  it('rejects a wrong type and accepts int-or-string fields in both forms', () => {
    const broken = structuredClone(template);
    broken.spec.activeDeadlineSeconds = '1 day';
    expect(validator.validate(broken).join('\n')).toMatch(/activeDeadlineSeconds: must be integer/);
    const numeric = structuredClone(template);
    numeric.spec.templates[1].retryStrategy.limit = '2';
    expect(validator.validate(numeric)).toEqual([]);
    numeric.spec.templates[1].retryStrategy.limit = { n: 2 };
    expect(validator.validate(numeric).join('\n')).toMatch(/retryStrategy\/limit/);
  });

  it('emulates the CEL rules: one template type per template', () => {
    const broken = structuredClone(template);
    broken.spec.templates[1].script = { image: 'x', source: 'echo' };
    const errors = validator.validate(broken).join('\n');
    if (version === 'v4.1.2') expect(errors).toMatch(/at most one template type/);
    else expect(errors).toBe(''); // v3.7.18 has no CEL rules; the controller checks this at run time
  });

  it('enforces Argo name lengths and DNS names', () => {
    const longCron = structuredClone(cron);
    longCron.metadata.name = 'a'.repeat(53);
    expect(validator.validate(longCron).join('\n')).toMatch(/at most 52 characters/);
    const badName = structuredClone(template);
    badName.metadata.name = 'Warehouse_PG';
    expect(validator.validate(badName).join('\n')).toMatch(/metadata\/name/);
  });

  it('knows that v4 removed the singular cron `schedule`', () => {
    const singular = structuredClone(cron);
    singular.spec.schedule = singular.spec.schedules[0];
    delete singular.spec.schedules;
    const errors = validator.validate(singular).join('\n');
    // v4 removed `schedule` (hence synthesis emits `schedules`); v3.7 still accepts it.
    if (version === 'v4.1.2') expect(errors).toMatch(/additional properties \(schedule\)/);
    else expect(errors).toBe('');
  });
});

describe('the core-object validator', () => {
  const cores = objects.filter((o) => !String(o.apiVersion).startsWith('argoproj.io'));

  it('accepts every synthesized core object', () => {
    expect(cores.map((o) => o.kind).sort()).toEqual([
      'ConfigMap',
      'Role',
      'Role',
      'RoleBinding',
      'RoleBinding',
      'ServiceAccount',
    ]);
    for (const object of cores) expect(validateCoreObject(object), String(object.kind)).toEqual([]);
  });

  it('rejects unknown fields, wrong types and missing required fields', () => {
    const configMap = structuredClone(byKind(objects, 'ConfigMap')[0]) as Obj;
    configMap.date = configMap.data;
    expect(validateCoreObject(configMap).join('\n')).toMatch(/\/date: unknown field of V1ConfigMap/);

    const role = structuredClone(byKind(objects, 'Role')[0]) as Obj;
    role.rules[0].verbs = 'create';
    expect(validateCoreObject(role).join('\n')).toMatch(/rules\/0\/verbs: must be a list/);

    const binding = structuredClone(byKind(objects, 'RoleBinding')[0]) as Obj;
    delete binding.roleRef.apiGroup;
    binding.subjects[0].namespce = 'x';
    const errors = validateCoreObject(binding).join('\n');
    expect(errors).toMatch(/roleRef: apiGroup is required/);
    expect(errors).toMatch(/subjects\/0\/namespce: unknown field/);

    const account = structuredClone(byKind(objects, 'ServiceAccount')[0]) as Obj;
    account.metadata.labels.team = 'has spaces';
    account.apiVersion = 'v2';
    const accountErrors = validateCoreObject(account).join('\n');
    expect(accountErrors).toMatch(/labels\/team: invalid value/);
    expect(accountErrors).toMatch(/apiVersion: must be v1/);
  });
});
