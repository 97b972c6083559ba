/**
 * OpenMetadata's own example workflows for our connectors (test/fixtures/openmetadata-examples, sources in
 * SOURCE.md), validated as a user would after replacing each literal secret with a `${VAR}`: every example
 * that a vendored OpenMetadata version accepts is accepted; the rest are refused with the reason below.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { ConfigError, type ConfigIssue } from '../../src/config/errors.js';
import { parseConfigText } from '../../src/config/load.js';
import { findLiteralSecrets, secretFieldPaths } from '../../src/config/secrets.js';
import { WORKFLOW_VERSIONS, workflowProblems } from '../support/om-workflow-schemas.js';

const DIR = join(import.meta.dirname, '../fixtures/openmetadata-examples');
const EXAMPLES = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/**
 * Examples refused, and the messages of their problems (each one sentence). Every other example must be
 * accepted; an example listed here that a vendored version accepts must be an unsupported form.
 */
const REFUSED: Record<string, { readonly unsupportedForm?: true; readonly messages: readonly (string | RegExp)[] }> = {
  // Superset's metadata-database form (valid for OpenMetadata 1.0.4): argo-ingest reads the REST API only.
  'superset.yaml': {
    unsupportedForm: true,
    messages: [
      "reading Superset's metadata database (connection.type: Postgres) is not supported; use Superset's REST " +
        'API form instead: connection: {provider: db, username: ..., password: ${VAR}}',
    ],
  },
  // Credentials at the top level (before OpenMetadata 1.0): no vendored version accepts it.
  'tableau.yaml': {
    messages: [
      'Tableau credentials go under authType: {username, password: ${VAR}} or ' +
        '{personalAccessTokenName, personalAccessTokenSecret: ${VAR}} (OpenMetadata 1.0 and later)',
    ],
  },
  // OpenMetadata's usage and profiler workflows: argo-ingest runs metadata ingestion only.
  'bigquery_usage.yaml': {
    messages: [
      "argo-ingest runs metadata ingestion only, not OpenMetadata's usage workflow; use type: bigquery with " +
        'sourceConfig.config.type: DatabaseMetadata',
      'argo-ingest runs metadata ingestion only, not DatabaseUsage pipelines; use type: DatabaseMetadata ' +
        '(database sources) or DashboardMetadata (dashboard sources)',
      // It has a bulkSink instead of a sink.
      'must be a mapping whose type is one of "metadata-rest", "file"',
    ],
  },
  'bigquery_profiler.yaml': {
    messages: [
      'argo-ingest runs metadata ingestion only, not Profiler pipelines; use type: DatabaseMetadata ' +
        '(database sources) or DashboardMetadata (dashboard sources)',
    ],
  },
  // sourceConfig.includeMetrics is newer than every vendored pipeline schema.
  'looker.yaml': { messages: [/^unknown key "includeMetrics"; valid keys: /] },
};

/** The example's text with every literal in a secret field (generated list) replaced by a `${VAR}`. */
function withSecretsAsVariables(text: string): { text: string; replaced: string[] } {
  const doc = parseDocument(text);
  const replaced = findLiteralSecrets(doc.toJS()).map(({ path }) => path);
  for (const path of replaced) {
    const name = path
      .split('.')
      .at(-1)!
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toUpperCase();
    doc.setIn(path.split('.'), `\${${name}}`);
  }
  return { text: doc.toString(), replaced };
}

function problemsOf(text: string, file: string): ConfigIssue[] {
  try {
    parseConfigText(text, file);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
}

describe("OpenMetadata's example workflows", () => {
  it('has an example of every connector', () => {
    const types = EXAMPLES.map((f) =>
      (parse(readFileSync(join(DIR, f), 'utf8')) as { source: { type: string } }).source.type.replace(/-usage$/, ''),
    );
    expect(new Set(types).size).toBe(12);
  });

  it.each(EXAMPLES)('%s', (file) => {
    const original = readFileSync(join(DIR, file), 'utf8');
    const { text, replaced } = withSecretsAsVariables(original);
    const workflow: unknown = parse(text);
    // Replacement used the schema-derived list only, and left no literal secret.
    for (const path of replaced)
      expect(secretFieldPaths(parse(original).source.type)).toContain(path.replace(/\.\d+(?=\.|$)/g, '.*'));
    expect(findLiteralSecrets(workflow)).toEqual([]);

    const validFor = WORKFLOW_VERSIONS.filter((v) => workflowProblems(v, workflow)?.length === 0);
    const problems = problemsOf(text, file);
    const refused = REFUSED[file];
    if (refused === undefined) {
      expect(validFor.length, `${file} is valid for no vendored version`).toBeGreaterThan(0);
      expect(problems).toEqual([]);
      return;
    }
    // Only an unsupported form may be refused although OpenMetadata accepts it, and never a 1.13-valid one.
    if (!refused.unsupportedForm) expect(validFor).toEqual([]);
    expect(validFor).not.toContain('1.13');
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(
        refused.messages.some((m) => (typeof m === 'string' ? problem.message === m : m.test(problem.message))),
      ).toBe(true);
    }
    for (const message of refused.messages) {
      expect(
        problems.some((p) => (typeof message === 'string' ? p.message === message : message.test(p.message))),
      ).toBe(true);
    }
  });

  it('replaces the secrets the schemas name, and not BigQuery certificate URLs', () => {
    const { replaced } = withSecretsAsVariables(readFileSync(join(DIR, 'bigquery.yaml'), 'utf8'));
    expect(replaced).toEqual(['source.serviceConnection.config.credentials.gcsConfig.privateKey']);
  });

  it('refuses a literal in a format: password field with its path', () => {
    const problems = problemsOf(readFileSync(join(DIR, 'snowflake.yaml'), 'utf8'), 'snowflake.yaml');
    expect(problems.filter((p) => p.message.startsWith('holds a literal secret')).map((p) => p.path)).toEqual([
      'source.serviceConnection.config.password',
      'source.serviceConnection.config.privateKey',
      'source.serviceConnection.config.snowflakePrivatekeyPassphrase',
      'workflowConfig.openMetadataServerConfig.securityConfig.jwtToken',
    ]);
    expect(JSON.stringify(problems)).not.toContain('private_key_passphrase');
  });
});
