/**
 * End to end, local mode, for each dashboard connector: a fake vendor server speaking the vendor's
 * documented REST shapes (test/support/vendors/), `argo-ingest run -c config.yaml` (the CLI's main(),
 * in-process, secrets as ${VAR} from the environment), into the OpenMetadata test server, which
 * validates every dashboardService / chart / dashboard body against the OpenMetadata 1.0.4 schemas and
 * checks that a dashboard's charts exist before the dashboard names them.
 *
 * Each vendor run meets a 429 with Retry-After, a 500 and an expired session on the way, and must still
 * ingest everything; a second run after a dashboard is removed marks it deleted; a run with a wrong
 * secret fails with one sentence and no secret in the output.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/cli.js';
import { workflowYaml } from '../support/e2e.js';
import { startOmServer, type OmTestServer } from '../support/om-server.js';
import { makeDashboards, type FakeDashboard, type VendorServer } from '../support/vendors/fake-server.js';
import { startFakeLooker } from '../support/vendors/looker.js';
import { startFakeMetabase } from '../support/vendors/metabase.js';
import { startFakePowerbi } from '../support/vendors/powerbi.js';
import { startFakeSuperset } from '../support/vendors/superset.js';
import { startFakeTableau } from '../support/vendors/tableau.js';

const TOKEN = 'MARKER-om-token-dash-51c2';
const SECRET = 'MARKER-vendor-secret-e2e-77d0';
const WRONG = 'MARKER-vendor-wrong-e2e-13f9';

interface Vendor {
  readonly type: string;
  /** The serviceConnection.config block, indented for the YAML below, secrets as ${VENDOR_SECRET}. */
  readonly connection: string;
  readonly start: (dashboards: FakeDashboard[]) => Promise<VendorServer>;
  readonly idOf?: (n: number) => string | number;
  /** Path of the per-dashboard calls, where faults are injected. */
  readonly detailPath: RegExp;
  /** Environment of the run besides the secret. */
  readonly env: (server: VendorServer) => Record<string, string>;
}

const VENDORS: readonly Vendor[] = [
  {
    type: 'looker',
    connection: `type: Looker
      clientId: \${VENDOR_ID}
      clientSecret: \${VENDOR_SECRET}
      hostPort: \${VENDOR_URL}`,
    start: (dashboards) => startFakeLooker({ clientId: 'looker-id', clientSecret: SECRET, dashboards }),
    detailPath: /^\/api\/4\.0\/dashboards\/\d+$/,
    env: (s) => ({ VENDOR_ID: 'looker-id', VENDOR_URL: s.url }),
  },
  {
    type: 'powerbi',
    connection: `type: PowerBI
      tenantId: tenant-e2e
      clientId: \${VENDOR_ID}
      clientSecret: \${VENDOR_SECRET}
      authorityURI: \${VENDOR_AUTHORITY}
      apiUrl: \${VENDOR_URL}
      pagination_entity_per_page: 7`,
    start: (dashboards) =>
      startFakePowerbi({
        tenantId: 'tenant-e2e',
        clientId: 'pbi-id',
        clientSecret: SECRET,
        dashboards: spread(dashboards),
      }),
    idOf: (n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    detailPath: /\/tiles$/,
    env: (s) => ({ VENDOR_ID: 'pbi-id', VENDOR_URL: s.url, VENDOR_AUTHORITY: `${s.url}/` }),
  },
  {
    type: 'tableau',
    connection: `type: Tableau
      hostPort: \${VENDOR_URL}
      authType:
        personalAccessTokenName: \${VENDOR_ID}
        personalAccessTokenSecret: \${VENDOR_SECRET}
      apiVersion: '3.19'
      siteUrl: analytics
      paginationLimit: 7`,
    start: (dashboards) =>
      startFakeTableau({ pat: { name: 'pat-e2e', secret: SECRET }, contentUrl: 'analytics', dashboards }),
    idOf: (n) => `wb-${n}`,
    detailPath: /\/views$/,
    env: (s) => ({ VENDOR_ID: 'pat-e2e', VENDOR_URL: s.url }),
  },
  {
    type: 'metabase',
    connection: `type: Metabase
      hostPort: \${VENDOR_URL}
      username: \${VENDOR_ID}
      password: \${VENDOR_SECRET}`,
    start: (dashboards) => startFakeMetabase({ username: 'mb-user', password: SECRET, dashboards }),
    detailPath: /^\/api\/dashboard\/\d+$/,
    env: (s) => ({ VENDOR_ID: 'mb-user', VENDOR_URL: s.url }),
  },
  {
    type: 'superset',
    connection: `type: Superset
      hostPort: \${VENDOR_URL}
      connection:
        provider: db
        username: \${VENDOR_ID}
        password: \${VENDOR_SECRET}`,
    start: (dashboards) => startFakeSuperset({ username: 'ss-user', password: SECRET, dashboards }),
    detailPath: /\/charts$/,
    env: (s) => ({ VENDOR_ID: 'ss-user', VENDOR_URL: s.url }),
  },
];

/** Power BI dashboards over three workspaces, in place (the test removes one later). */
function spread(dashboards: FakeDashboard[]): FakeDashboard[] {
  dashboards.splice(0, dashboards.length, ...dashboards.map((d, i) => ({ ...d, workspace: `ws-${i % 3}` })));
  return dashboards;
}

let om: OmTestServer;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2e-dash-'));
  om = await startOmServer({ token: TOKEN });
});

afterAll(async () => {
  await om?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function writeConfig(vendor: Vendor): Promise<string> {
  const text = `source:
  type: ${vendor.type}
  serviceName: ${vendor.type}_e2e
  serviceConnection:
    config:
      ${vendor.connection}
  sourceConfig:
    config:
      type: DashboardMetadata
      markDeletedDashboards: true
      dashboardFilterPattern:
        excludes: ['^scratch']
      chartFilterPattern:
        excludes: ['^draft']
${workflowYaml({ parallelism: 4, chunkSize: 5, backoffFactor: 1, maxBackoffSeconds: 1 })}`;
  const file = join(dir, `${vendor.type}.yaml`);
  await writeFile(file, text);
  return file;
}

/** 30 dashboards of 3 charts, one "scratch" dashboard (filtered out) and a "draft" chart on each fifth. */
function estate(vendor: Vendor): FakeDashboard[] {
  const base = makeDashboards(30, 3, { types: ['line', 'bar', 'table'], idOf: vendor.idOf });
  return base.map((d, i) => ({
    ...d,
    title: i === 29 ? 'scratch pad' : d.title,
    charts: d.charts.map((c, j) => (i % 5 === 0 && j === 2 ? { ...c, title: `draft ${c.title}` } : c)),
  }));
}

function expectNoSecrets(result: CliResult): void {
  const all = result.stdout + result.stderr;
  expect(all).not.toContain(SECRET);
  expect(all).not.toContain(WRONG);
  expect(all).not.toContain(TOKEN);
}

describe.each(VENDORS)('argo-ingest run, LOCAL mode, $type -> OpenMetadata', (vendor) => {
  let server: VendorServer;
  let dashboards: FakeDashboard[];
  let file: string;
  const service = `${vendor.type}_e2e`;
  const run = (secret = SECRET) =>
    runCli(['run', '-c', file], {
      ...vendor.env(server),
      VENDOR_SECRET: secret,
      OM_HOST_PORT: om.url,
      OM_JWT_TOKEN: TOKEN,
    });
  const live = (kind: 'dashboard' | 'chart') =>
    [...om.entities(kind).values()].filter((e) => !e.deleted && e.fullyQualifiedName.startsWith(`${service}.`));

  beforeAll(async () => {
    dashboards = estate(vendor);
    server = await vendor.start(dashboards);
    file = await writeConfig(vendor);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('ingests every dashboard and chart through 429, 500 and an expired session', async () => {
    server.inject({ status: 429, retryAfter: 0, path: vendor.detailPath, times: 2 });
    server.inject({ status: 500, retryAfter: 0, path: vendor.detailPath, times: 1 });
    server.inject({ status: 401, path: vendor.detailPath, times: 1 });
    const result = await run();
    expectNoSecrets(result);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Executing workflow in LOCAL mode');
    expect(om.invalidBodies).toEqual([]);
    // A sign-in at start, and one more after the injected 401.
    expect(server.logins).toBeGreaterThanOrEqual(2);

    const kept = dashboards.filter((d) => !d.title.startsWith('scratch'));
    expect(result.stdout).toMatch(new RegExp(`Succeeded: +${kept.length} \\(100%\\)`));
    expect(
      live('dashboard')
        .map((d) => d.name)
        .sort(),
    ).toEqual(kept.map((d) => String(d.id)).sort());
    const expectedCharts = kept.flatMap((d) => d.charts.filter((c) => !c.title.startsWith('draft')));
    expect(live('chart')).toHaveLength(expectedCharts.length);

    // Every dashboard links exactly its (unfiltered) charts, by reference to the stored charts.
    for (const d of kept) {
      const stored = om.entities('dashboard').get(`${service}.${d.id}`)!;
      expect(stored.displayName).toBe(d.title);
      const refs = stored.charts as { fullyQualifiedName: string; type: string }[];
      expect(refs.map((r) => r.fullyQualifiedName)).toEqual(
        d.charts.filter((c) => !c.title.startsWith('draft')).map((c) => `${service}.${c.id}`),
      );
      for (const ref of refs) expect(om.entities('chart').get(ref.fullyQualifiedName)).toBeDefined();
    }
    const serviceEntity = om.entities('dashboardService').get(service);
    expect(serviceEntity).toBeDefined();
    const stored = JSON.stringify([
      ...om.entities('dashboardService').values(),
      ...live('chart'),
      ...live('dashboard'),
    ]);
    expect(stored).not.toContain(SECRET);
  });

  it('marks a dashboard removed from the vendor as deleted on the next run', async () => {
    const removed = dashboards.splice(3, 1)[0]!;
    const result = await run();
    expectNoSecrets(result);
    expect(result.code, result.stderr).toBe(0);
    expect(om.entities('dashboard').get(`${service}.${removed.id}`)?.deleted).toBe(true);
    expect(live('dashboard')).toHaveLength(dashboards.length - 1);
  });

  it('fails with one clear sentence when the vendor refuses the credentials', async () => {
    const result = await run(WRONG);
    expectNoSecrets(result);
    expect(result.code).not.toBe(0);
    const errorLines = result.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/refused/);
  });
});
