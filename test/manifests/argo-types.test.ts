import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODULES, generateSlimModules } from '../../scripts/generate-argo-types.js';

const ROOT = join(import.meta.dirname, '../..');

describe('slim Argo CRD modules generated from imports/', () => {
  const generated = generateSlimModules(ROOT);

  it.each(MODULES.map((m) => [m.slim, m.full]))(
    '%s is what the generator produces from %s and the src/ that uses it',
    (slim) => {
      // Fails after src/manifests uses another Argo field or type, or after `cdk8s import` refreshes
      // imports/, until `npm run generate:argo-types` is run and committed.
      expect(readFileSync(join(ROOT, slim), 'utf8')).toBe(generated.get(slim));
    },
  );

  it('keeps only a small part of the full modules', () => {
    for (const m of MODULES) {
      const full = readFileSync(join(ROOT, m.full), 'utf8').length;
      expect(generated.get(m.slim)?.length ?? 0).toBeLessThan(full / 20);
    }
  });

  it('keeps the converters for the fields src/ sets, and drops the ones it does not', () => {
    const wt = generated.get('src/manifests/generated/argo-wt.ts') ?? '';
    expect(wt).toContain("'retryStrategy': toJson_WorkflowTemplateSpecTemplatesRetryStrategy(obj.retryStrategy)");
    expect(wt).not.toContain('toJson_WorkflowTemplateSpecTemplatesScript');
  });
});
