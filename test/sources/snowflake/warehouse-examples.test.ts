import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load.js';
import { findLiteralSecrets } from '../../../src/config/secrets.js';

const EXAMPLES = ['snowflake', 'bigquery', 'mssql', 'oracle'].map(
  (t) => [t, `examples/${t}-distributed.yaml`] as const,
);

describe('warehouse connector examples', () => {
  it.each(EXAMPLES)('%s: validates, runs on Argo, and holds secrets only as ${VAR}', (type, file) => {
    const text = readFileSync(file, 'utf8');
    const loaded = parseConfigText(text, file);
    expect(loaded.config.source.type).toBe(type);
    expect(loaded.config.workflowConfig.distributedExecution).toMatchObject({ enabled: true, orchestrator: 'argo' });
    expect(findLiteralSecrets(loaded.raw)).toEqual([]);
    expect(loaded.variables).toContain('OM_JWT_TOKEN');
    expect(loaded.ignoredKeys).toEqual([]);
  });
});
