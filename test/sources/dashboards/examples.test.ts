/** The dashboard examples: valid configs, secrets only as ${VAR}, and Argo pipelines. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load.js';
import { PLACEHOLDER_ONLY } from '../../../src/config/secrets.js';

const EXAMPLES = join(import.meta.dirname, '../../../examples');
const SECRET_FIELDS = ['clientSecret', 'password', 'personalAccessTokenSecret', 'apiKey', 'jwtToken'];

describe.each(['looker', 'powerbi', 'tableau', 'metabase', 'superset'])('examples/%s-distributed.yaml', (type) => {
  const file = join(EXAMPLES, `${type}-distributed.yaml`);
  const text = readFileSync(file, 'utf8');

  it('parses, is a dashboard source on Argo, and keeps every secret as ${VAR}', () => {
    const loaded = parseConfigText(text, file);
    expect(loaded.config.source.type).toBe(type);
    expect(loaded.config.source.sourceConfig.config.type).toBe('DashboardMetadata');
    const dist = loaded.config.workflowConfig.distributedExecution;
    expect(dist).toMatchObject({ enabled: true, orchestrator: 'argo' });
    const secrets = [...text.matchAll(new RegExp(`^\\s*(${SECRET_FIELDS.join('|')}):\\s*(.+)$`, 'gm'))];
    expect(secrets.length).toBeGreaterThanOrEqual(2);
    for (const [, field, value] of secrets) expect(value!.trim(), `${type}: ${field}`).toMatch(PLACEHOLDER_ONLY);
  });
});
