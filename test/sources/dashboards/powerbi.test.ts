import { afterEach, describe, expect, it } from 'vitest';
import { createPowerbiSource as createPowerbiSourceFromSource } from '../../../src/sources/powerbi/source.js';
import { fromConfig } from '../../support/source-from-config.js';
import { makeDashboards, type FakeDashboard, type VendorServer } from '../../support/vendors/fake-server.js';
import { startFakePowerbi, type FakePowerbi } from '../../support/vendors/powerbi.js';
import { dashboardConfig, discoverAll, harness, processAll, rejection, requestsOf } from './harness.js';
import { describeConnector } from './suite.js';

const createPowerbiSource = fromConfig(createPowerbiSourceFromSource);

const TENANT = 'tenant-0a1b';
const CLIENT_ID = 'app-client-id';
const SECRET = 'MARKER-pbi-secret-3e4f';
const WRONG = 'MARKER-pbi-wrong-5a6b';

const connection = (server: VendorServer, options: { wrong?: boolean; admin?: boolean } = {}) => ({
  type: 'PowerBI',
  tenantId: TENANT,
  clientId: CLIENT_ID,
  clientSecret: options.wrong ? WRONG : SECRET,
  authorityURI: `${server.url}/`,
  apiUrl: server.url,
  pagination_entity_per_page: 4,
  useAdminApis: options.admin ?? true,
});

const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Dashboards spread over two workspaces. */
function inWorkspaces(dashboards: FakeDashboard[]): FakeDashboard[] {
  return dashboards.map((d, i) => ({ ...d, workspace: i % 2 === 0 ? 'ws-a' : 'ws-b' }));
}

/** Spreads `dashboards` over workspaces in place, so a test that removes one removes it on the server. */
const start = (dashboards: FakeDashboard[]) => {
  dashboards.splice(0, dashboards.length, ...inWorkspaces(dashboards));
  return startFakePowerbi({ tenantId: TENANT, clientId: CLIENT_ID, clientSecret: SECRET, dashboards });
};

describeConnector({
  type: 'powerbi',
  serviceType: 'PowerBI',
  start,
  connection,
  secrets: [SECRET, WRONG],
  create: createPowerbiSource,
  listPath: /\/admin\/groups(\/[^/]+\/dashboards)?$/,
  detailPath: /\/tiles$/,
  idOf: guid,
  credentialFields: ['tenantId', 'clientId', 'clientSecret'],
});

describe('powerbi connector (Power BI specifics)', () => {
  let server: FakePowerbi | undefined;
  afterEach(async () => server?.close());

  it('asks Azure AD for a client-credentials token with the configured scope', async () => {
    server = await start(makeDashboards(1, 1, { idOf: guid }));
    const h = harness();
    const source = createPowerbiSource(
      dashboardConfig('powerbi', connection(server)),
      { logger: h.logger, concurrency: 1 },
      h.deps,
    );
    await source.testConnection();
    expect(server.scopes).toEqual(['https://analysis.windows.net/powerbi/api/.default']);
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: `/${TENANT}/oauth2/v2.0/token`, status: 200 });
    await source.close();
  });

  it('pages workspaces and their dashboards with $top/$skip through the admin APIs', async () => {
    server = await start(makeDashboards(10, 1, { idOf: guid }));
    const h = harness();
    const source = createPowerbiSource(
      dashboardConfig('powerbi', connection(server)),
      { logger: h.logger, concurrency: 1 },
      h.deps,
    );
    const found = await discoverAll(source);
    expect(found).toHaveLength(10);
    expect(new Set(found.map((d) => d.meta?.workspaceId))).toEqual(new Set(['ws-a', 'ws-b']));
    const dashboardPages = server.requests.filter((r) => /\/admin\/groups\/ws-a\/dashboards$/.test(r.path));
    expect(dashboardPages.map((r) => r.query.$skip)).toEqual(['0', '4']);
    await source.close();
  });

  it('uses the workspace-member APIs when useAdminApis is false', async () => {
    server = await start(makeDashboards(3, 2, { idOf: guid }));
    const h = harness();
    const source = createPowerbiSource(
      dashboardConfig('powerbi', connection(server, { admin: false })),
      { logger: h.logger, concurrency: 1 },
      h.deps,
    );
    const outcomes = await processAll(source, await discoverAll(source));
    expect(requestsOf(outcomes).filter((r) => r.kind === 'chart')).toHaveLength(6);
    expect(server.requests.some((r) => r.path.includes('/admin/'))).toBe(false);
    expect(server.requests.some((r) => /\/groups\/ws-a\/dashboards\/[^/]+\/tiles$/.test(r.path))).toBe(true);
    await source.close();
  });

  it('names the tenant problem when the tenant id is wrong', async () => {
    server = await start(makeDashboards(1, 1, { idOf: guid }));
    const h = harness();
    const config = dashboardConfig('powerbi', { ...connection(server), tenantId: 'no-such-tenant' });
    const source = createPowerbiSource(config, { logger: h.logger, concurrency: 1 }, h.deps);
    const error = await rejection(source.testConnection());
    expect(error.message).toContain('tenantId');
    expect(error.message).not.toContain(SECRET);
  });
});
