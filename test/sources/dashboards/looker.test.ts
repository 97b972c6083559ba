import { afterEach, describe, expect, it } from 'vitest';
import { createLookerSource as createLookerSourceFromSource } from '../../../src/sources/looker/source.js';
import { fromConfig } from '../../support/source-from-config.js';
import { makeDashboards, type VendorServer } from '../../support/vendors/fake-server.js';
import { startFakeLooker } from '../../support/vendors/looker.js';
import { dashboardConfig, discoverAll, harness, processAll, requestsOf } from './harness.js';
import { describeConnector } from './suite.js';

const createLookerSource = fromConfig(createLookerSourceFromSource);

const CLIENT_ID = 'looker-client-id';
const SECRET = 'MARKER-looker-secret-7c1d';
const WRONG = 'MARKER-looker-wrong-99ab';

const connection = (server: VendorServer, options: { wrong?: boolean } = {}) => ({
  type: 'Looker',
  clientId: CLIENT_ID,
  clientSecret: options.wrong ? WRONG : SECRET,
  hostPort: server.url,
});

describeConnector({
  type: 'looker',
  serviceType: 'Looker',
  start: (dashboards) => startFakeLooker({ clientId: CLIENT_ID, clientSecret: SECRET, dashboards }),
  connection,
  secrets: [SECRET, WRONG],
  create: createLookerSource,
  listPath: /\/dashboards\/search$/,
  detailPath: /\/api\/4\.0\/dashboards\/\d+$/,
  credentialFields: ['clientId', 'clientSecret'],
});

describe('looker connector (Looker specifics)', () => {
  let server: VendorServer | undefined;
  afterEach(async () => server?.close());

  it('signs in with the API key as a form and sends "Authorization: token"', async () => {
    server = await startFakeLooker({ clientId: CLIENT_ID, clientSecret: SECRET, dashboards: makeDashboards(2, 1) });
    const h = harness();
    const source = createLookerSource(
      dashboardConfig('looker', connection(server)),
      { logger: h.logger, concurrency: 1 },
      h.deps,
    );
    await source.testConnection();
    const found = await discoverAll(source);
    expect(found).toHaveLength(2);
    const login = server.requests.find((r) => r.path === '/api/4.0/login');
    expect(login).toMatchObject({ method: 'POST', status: 200 });
    // Credentials travel in the body, never in the URL.
    expect(JSON.stringify(server.requests.map((r) => r.query))).not.toContain(SECRET);
    const search = server.requests.find((r) => r.path === '/api/4.0/dashboards/search');
    expect(search?.query).toMatchObject({ fields: 'id,title', sorts: 'id', offset: '0' });
    await source.close();
  });

  it('maps tiles to charts: visualisation types, and text tiles as Text', async () => {
    server = await startFakeLooker({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      dashboards: [
        {
          id: 7,
          title: 'Revenue',
          description: 'Monthly revenue',
          charts: [
            { id: 71, title: 'Trend', type: 'looker_line' },
            { id: 72, title: 'By region', type: 'looker_column' },
            { id: 73, title: 'Notes', type: 'text' },
            { id: 74, title: 'Share', type: 'looker_donut_multiples' },
            { id: 75, title: 'Raw', type: 'looker_grid' },
          ],
        },
      ],
    });
    const h = harness();
    const source = createLookerSource(
      dashboardConfig('looker', connection(server)),
      { logger: h.logger, concurrency: 1 },
      h.deps,
    );
    const requests = requestsOf(await processAll(source, await discoverAll(source)));
    const types = Object.fromEntries(
      requests.filter((r) => r.kind === 'chart').map((r) => [r.body.displayName, r.body.chartType]),
    );
    expect(types).toEqual({ Trend: 'Line', 'By region': 'Bar', Notes: 'Text', Share: 'Pie', Raw: 'Table' });
    expect(requests.at(-1)?.body).toMatchObject({ name: '7', displayName: 'Revenue', description: 'Monthly revenue' });
    await source.close();
  });
});
