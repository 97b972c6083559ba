import { afterEach, describe, expect, it } from 'vitest';
import { createSupersetSource as createSupersetSourceFromSource } from '../../../src/sources/superset/source.js';
import { fromConfig } from '../../support/source-from-config.js';
import { makeDashboards, type FakeDashboard, type VendorServer } from '../../support/vendors/fake-server.js';
import { startFakeSuperset } from '../../support/vendors/superset.js';
import { dashboardConfig, discoverAll, harness, processAll, requestsOf } from './harness.js';
import { describeConnector } from './suite.js';

const createSupersetSource = fromConfig(createSupersetSourceFromSource);

const USER = 'ingest';
const PASSWORD = 'MARKER-superset-password-9a0b';
const WRONG = 'MARKER-superset-wrong-3c4d';

const connection = (server: VendorServer, options: { wrong?: boolean } = {}) => ({
  type: 'Superset',
  hostPort: server.url,
  connection: { provider: 'db', username: USER, password: options.wrong ? WRONG : PASSWORD },
});

const start = (dashboards: FakeDashboard[]) => startFakeSuperset({ username: USER, password: PASSWORD, dashboards });

describeConnector({
  type: 'superset',
  serviceType: 'Superset',
  start,
  connection,
  secrets: [PASSWORD, WRONG],
  create: createSupersetSource,
  listPath: /^\/api\/v1\/dashboard\/$/,
  detailPath: /^\/api\/v1\/dashboard\/\d+\/charts$/,
  credentialFields: ['connection.username', 'connection.password'],
});

describe('superset connector (Superset specifics)', () => {
  let server: VendorServer | undefined;
  afterEach(async () => server?.close());

  it('pages the dashboard list with a rison q from page 0, asking only for ids and titles', async () => {
    server = await start(makeDashboards(9, 1));
    const h = harness(4);
    const source = createSupersetSource(
      dashboardConfig('superset', connection(server)),
      { logger: h.logger, concurrency: 1 },
      h.deps,
    );
    expect(await discoverAll(source)).toHaveLength(9);
    const qs = server.requests.filter((r) => r.path === '/api/v1/dashboard/').map((r) => r.query.q);
    expect(qs).toHaveLength(3);
    expect(qs[0]).toBe(
      '(columns:!(id,dashboard_title),order_column:dashboard_title,order_direction:asc,page:0,page_size:4)',
    );
    expect(qs[2]).toContain('page:2,');
    await source.close();
  });

  it('maps viz types to OpenMetadata chart types', async () => {
    server = await start(
      makeDashboards(1, 5, { types: ['echarts_timeseries_line', 'dist_bar', 'pie', 'big_number_total', 'markup'] }),
    );
    const h = harness();
    const source = createSupersetSource(
      dashboardConfig('superset', connection(server)),
      { logger: h.logger, concurrency: 1 },
      h.deps,
    );
    const requests = requestsOf(await processAll(source, await discoverAll(source)));
    expect(requests.filter((r) => r.kind === 'chart').map((r) => r.body.chartType)).toEqual([
      'Line',
      'Bar',
      'Pie',
      'Table',
      'Other',
    ]);
    await source.close();
  });
});
