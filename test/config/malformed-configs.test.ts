/**
 * Malformed configs: each must give one line per problem naming file, line and YAML path, exit 2, print
 * no stack trace, and write nothing. The cases mutate one valid distributed config.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { runCli } from '../support/cli.js';

const BASE = {
  source: {
    type: 'postgres',
    serviceName: 'warehouse_pg',
    serviceConnection: {
      config: {
        type: 'Postgres',
        hostPort: '${PG_HOST_PORT}',
        username: 'ingest',
        authType: { password: '${PG_PASSWORD}' },
        database: 'warehouse',
      },
    },
    sourceConfig: { config: { type: 'DatabaseMetadata', includeViews: true } },
  },
  sink: { type: 'metadata-rest', config: {} },
  workflowConfig: {
    loggerLevel: 'INFO',
    openMetadataServerConfig: {
      hostPort: 'http://openmetadata:8585/api',
      authProvider: 'openmetadata',
      securityConfig: { jwtToken: '${OM_JWT_TOKEN}' },
    },
    distributedExecution: {
      enabled: true,
      orchestrator: 'argo',
      parallelism: 20,
      namespace: 'metadata',
      retryPolicy: { maxAttempts: 3, backoffSeconds: 60, backoffFactor: 2, maxBackoffSeconds: 600 },
    },
  },
};

type Mutation = { set?: [string, unknown][]; remove?: string[]; text?: string };

function render(m: Mutation): string {
  if (m.text !== undefined) return m.text;
  const doc = parseDocument(stringify(BASE));
  for (const path of m.remove ?? []) doc.deleteIn(path.split('.'));
  for (const [path, value] of m.set ?? []) doc.setIn(path.split('.'), value);
  return doc.toString();
}

const D = 'workflowConfig.distributedExecution';
const C = 'source.serviceConnection.config';

/** [name, mutation, expected path (or '' for the document), fragment of the message] */
const CASES: [string, Mutation, string, RegExp][] = [
  ['unclosed flow mapping', { text: 'source: {type: postgres\nsink: x\n' }, '', /invalid YAML/],
  ['tab indentation', { text: 'source:\n\ttype: postgres\n' }, '', /invalid YAML/],
  ['duplicate key', { text: 'source: {}\nsource: {}\n' }, '', /invalid YAML/],
  ['empty file', { text: '' }, '', /must be a YAML mapping/],
  ['a list instead of a mapping', { text: '- source\n- sink\n' }, '', /must be a YAML mapping/],
  ['missing source', { remove: ['source'] }, 'source', /is required/],
  ['misspelt top-level key', { set: [['sources', {}]] }, 'sources', /did you mean "source"/],
  ['misspelt distributed key', { set: [[`${D}.paralelism`, 5]] }, `${D}.paralelism`, /did you mean "parallelism"/],
  ['parallelism 0', { set: [[`${D}.parallelism`, 0]] }, `${D}.parallelism`, /at least 1/],
  ['parallelism above the cap', { set: [[`${D}.parallelism`, 1000]] }, `${D}.parallelism`, /at most 500/],
  [
    'parallelism as a word',
    { set: [[`${D}.parallelism`, 'fifty']] },
    `${D}.parallelism`,
    /must be a number, not string "fifty"/,
  ],
  ['fractional parallelism', { set: [[`${D}.parallelism`, 2.5]] }, `${D}.parallelism`, /must be a whole number/],
  ['unsupported orchestrator', { set: [[`${D}.orchestrator`, 'airflow']] }, `${D}.orchestrator`, /"argo" or "local"/],
  ['namespace with capitals', { set: [[`${D}.namespace`, 'Data_Team']] }, `${D}.namespace`, /lower-case/],
  ['name too long', { set: [[`${D}.name`, 'a'.repeat(60)]] }, `${D}.name`, /at most 45/],
  ['enabled as a string', { set: [[`${D}.enabled`, 'yes']] }, `${D}.enabled`, /must be a boolean/],
  [
    'misspelt connector',
    { set: [['source.type', 'postgress']] },
    'source.type',
    /unknown connector type "postgress" \(did you mean "postgres"\?\); supported: postgres, mysql/,
  ],
  [
    'connection type of another connector',
    { set: [[`${C}.type`, 'Mysql']] },
    `${C}.type`,
    /must be "Postgres", not "Mysql"/,
  ],
  [
    'unknown loggerLevel',
    { set: [['workflowConfig.loggerLevel', 'VERBOSE']] },
    'workflowConfig.loggerLevel',
    /must be one of "DEBUG", "INFO", "WARN", "ERROR", not "VERBOSE"/,
  ],
  ['missing serviceName', { remove: ['source.serviceName'] }, 'source.serviceName', /is required/],
  ['serviceName with a dot', { set: [['source.serviceName', 'a.b']] }, 'source.serviceName', /must not contain/],
  ['missing connection username', { remove: [`${C}.username`] }, `${C}.username`, /is required/],
  ['literal password', { set: [[`${C}.authType.password`, 'hunter2']] }, `${C}.authType.password`, /literal secret/],
  [
    'literal JWT token',
    { set: [['workflowConfig.openMetadataServerConfig.securityConfig.jwtToken', 'eyJhbGciOi.x.y']] },
    'workflowConfig.openMetadataServerConfig.securityConfig.jwtToken',
    /literal secret/,
  ],
  [
    'OpenMetadata hostPort not a URL',
    { set: [['workflowConfig.openMetadataServerConfig.hostPort', 'openmetadata 8585']] },
    'workflowConfig.openMetadataServerConfig.hostPort',
    /must be a URL/,
  ],
  [
    'fractional backoffFactor',
    { set: [[`${D}.retryPolicy.backoffFactor`, 1.5]] },
    `${D}.retryPolicy.backoffFactor`,
    /whole number/,
  ],
  ['maxAttempts 0', { set: [[`${D}.retryPolicy.maxAttempts`, 0]] }, `${D}.retryPolicy.maxAttempts`, /at least 1/],
  ['timeout under a minute', { set: [[`${D}.timeoutSeconds`, 10]] }, `${D}.timeoutSeconds`, /at least 60/],
  ['six-field cron', { set: [[`${D}.schedule`, '0 0 2 * * *']] }, `${D}.schedule`, /5-field cron/],
  ['unknown sink type', { set: [['sink.type', 'metadata-rst']] }, 'sink.type', /metadata-rest/],
  [
    'unknown sourceConfig type',
    { set: [['source.sourceConfig.config.type', 'DatabaseMetdata']] },
    'source.sourceConfig.config.type',
    /DatabaseMetadata/,
  ],
  [
    'filter pattern as a string',
    { set: [['source.sourceConfig.config.tableFilterPattern', { includes: 'orders' }]] },
    'source.sourceConfig.config.tableFilterPattern.includes',
    /must be a list, not string "orders"/,
  ],
  [
    'invalid filter regex',
    { set: [['source.sourceConfig.config.schemaFilterPattern', { excludes: ['(unclosed'] }]] },
    'source.sourceConfig.config.schemaFilterPattern.excludes.0',
    /invalid regular expression/,
  ],
  [
    'invalid CPU quantity',
    { set: [[`${D}.resourceRequests`, { cpu: 'lots' }]] },
    `${D}.resourceRequests.cpu`,
    /quantity/,
  ],
  [
    'invalid label key',
    { set: [[`${D}.labels`, { 'bad key!': 'x' }]] },
    `${D}.labels.bad key!`,
    /not a valid label key/,
  ],
  ['unknown logger level', { set: [['workflowConfig.loggerLevel', 'TRACE']] }, 'workflowConfig.loggerLevel', /"DEBUG"/],
  [
    'successThreshold above 100',
    { set: [['workflowConfig.successThreshold', 150]] },
    'workflowConfig.successThreshold',
    /at most 100/,
  ],
  [
    'secret name not a Kubernetes name',
    { set: [[`${D}.secrets`, { variables: { PG_PASSWORD: { secret: 'My_Secret', key: 'pw' } } }]] },
    `${D}.secrets.variables.PG_PASSWORD.secret`,
    /lower-case/,
  ],
  [
    'dashboard sourceConfig on a database source',
    { set: [['source.sourceConfig.config', { type: 'DashboardMetadata' }]] },
    'source.sourceConfig.config.type',
    /needs type: DatabaseMetadata/,
  ],
  ['file sink without filename', { set: [['sink', { type: 'file', config: {} }]] }, 'sink.config.filename', /required/],
  // Values Kubernetes, the container runtime, Argo's cron parser or OpenMetadata would refuse later.
  ['image with upper case', { set: [[`${D}.image`, 'ghcr.io/Acme/Argo-Ingest:1']] }, `${D}.image`, /lower-case/],
  ['image with a space', { set: [[`${D}.image`, 'argo-ingest :1']] }, `${D}.image`, /without spaces/],
  [
    'memory in an unknown unit',
    { set: [[`${D}.resourceRequests`, { memory: '2GB' }]] },
    `${D}.resourceRequests.memory`,
    /quantity.*not "2GB"/,
  ],
  [
    'negative cpu',
    { set: [[`${D}.resourceRequests`, { cpu: '-1' }]] },
    `${D}.resourceRequests.cpu`,
    /must not be negative/,
  ],
  [
    'memory limit below the request',
    {
      set: [
        [`${D}.resourceRequests`, { memory: '4Gi' }],
        [`${D}.resourceLimits`, { memory: '2Gi' }],
      ],
    },
    `${D}.resourceLimits.memory`,
    /at least resourceRequests.memory \(4Gi\)/,
  ],
  [
    'cpu limit below the request',
    {
      set: [
        [`${D}.resourceRequests`, { cpu: '1500m' }],
        [`${D}.resourceLimits`, { cpu: '1' }],
      ],
    },
    `${D}.resourceLimits.cpu`,
    /at least resourceRequests.cpu/,
  ],
  [
    'cron minute 61',
    { set: [[`${D}.schedule`, '61 2 * * *']] },
    `${D}.schedule`,
    /minute field "61": must be within 0-59/,
  ],
  ['cron hour 25', { set: [[`${D}.schedule`, '0 25 * * *']] }, `${D}.schedule`, /hour field "25": must be within 0-23/],
  ['cron day of week 7', { set: [[`${D}.schedule`, '0 2 * * 7']] }, `${D}.schedule`, /day of week field "7"/],
  [
    'serviceName longer than OpenMetadata allows',
    { set: [['source.serviceName', 's'.repeat(300)]] },
    'source.serviceName',
    /at most 256 characters \(OpenMetadata entityName/,
  ],
];

describe('malformed configs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'argo-ingest-malformed-'));
  });

  it('has at least 25 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it('accepts the unmutated base config (so every failure below comes from its mutation)', async () => {
    const file = join(dir, 'base.yaml');
    writeFileSync(file, render({}));
    const result = await runCli(['validate', '-c', file]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it.each(CASES)('%s: names the path, exits 2, no stack trace', async (name, mutation, path, message) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, render(mutation));
    const result = await runCli(['validate', '-c', file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr
      .replace(/^error: /, '')
      .trimEnd()
      .split('\n');
    // One line per problem, each starting with the file (and line when known).
    for (const line of lines) expect(line.startsWith(file)).toBe(true);
    const expected = path ? `: ${path}: ` : ': ';
    const hit = lines.find((line) => line.includes(expected) && message.test(line));
    expect(hit, `expected a line with "${expected}" matching ${String(message)} in:\n${result.stderr}`).toBeDefined();
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toMatch(/hunter2|eyJhbGciOi/);
  });

  it('reports every problem of a config at once, one per line', async () => {
    const file = join(dir, 'many.yaml');
    writeFileSync(
      file,
      render({
        set: [
          [`${D}.parallelism`, 0],
          [`${D}.orchestrator`, 'airflow'],
          [`${D}.namespace`, 'UPPER'],
        ],
      }),
    );
    const result = await runCli(['validate', '-c', file]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.match(/: (workflowConfig\.[\w.]+): /)?.[1]).sort()).toEqual([
      `${D}.namespace`,
      `${D}.orchestrator`,
      `${D}.parallelism`,
    ]);
  });

  it('points at the line of the offending key', async () => {
    const file = join(dir, 'line.yaml');
    const text = render({ set: [[`${D}.parallelism`, 0]] });
    writeFileSync(file, text);
    const line = text.split('\n').findIndex((l) => l.includes('parallelism: 0')) + 1;
    const result = await runCli(['validate', '-c', file]);
    expect(result.stderr).toContain(`${file}:${line}: ${D}.parallelism: must be at least 1`);
  });

  it('writes no file next to the config', () => {
    const written = readdirSync(dir).filter((f) => !f.endsWith('.yaml'));
    expect(written).toEqual([]);
  });
});
