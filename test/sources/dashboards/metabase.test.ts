import { afterEach, describe, expect, it } from 'vitest';
import { createMetabaseSource as createMetabaseSourceFromSource } from '../../../src/sources/metabase/source.js';
import { fromConfig } from '../../support/source-from-config.js';
import { makeDashboards, type FakeDashboard, type VendorServer } from '../../support/vendors/fake-server.js';
import { startFakeMetabase } from '../../support/vendors/metabase.js';
import { dashboardConfig, discoverAll, harness, parentsOf, processAll, rejection, requestsOf } from './harness.js';
import { describeConnector } from './suite.js';

const createMetabaseSource = fromConfig(createMetabaseSourceFromSource);

const USER = 'ingest@example.com';
const PASSWORD = 'MARKER-metabase-password-6e7f';
const WRONG = 'MARKER-metabase-wrong-0b1c';
const API_KEY = 'mb_MARKER-metabase-apikey-2d3e';

const connection = (server: VendorServer, options: { wrong?: boolean } = {}) => ({
  type: 'Metabase',
  hostPort: server.url,
  username: USER,
  password: options.wrong ? WRONG : PASSWORD,
});

const start = (dashboards: FakeDashboard[], extra: { archived?: number[]; legacy?: boolean } = {}) =>
  startFakeMetabase({ username: USER, password: PASSWORD, apiKey: API_KEY, dashboards, ...extra });

describeConnector({
  type: 'metabase',
  serviceType: 'Metabase',
  start: (dashboards) => start(dashboards),
  connection,
  secrets: [PASSWORD, WRONG, API_KEY],
  create: createMetabaseSource,
  listPath: /^\/api\/dashboard\/?$/,
  detailPath: /^\/api\/dashboard\/\d+$/,
  paged: false,
  credentialFields: ['username', 'password'],
});

describe('metabase connector (Metabase specifics)', () => {
  let server: VendorServer | undefined;
  afterEach(async () => server?.close());

  it('uses an API key without any sign-in call, and keeps it out of the service body', async () => {
    server = await start(makeDashboards(2, 2));
    const h = harness();
    const config = dashboardConfig('metabase', { type: 'Metabase', hostPort: server.url, apiKey: API_KEY });
    const source = createMetabaseSource(config, { logger: h.logger, concurrency: 2 }, h.deps);
    await source.testConnection();
    const requests = requestsOf(await processAll(source, await discoverAll(source)));
    expect(requests.filter((r) => r.kind === 'dashboard')).toHaveLength(2);
    expect(server.requests.some((r) => r.path === '/api/session')).toBe(false);
    expect(JSON.stringify(await parentsOf(source))).not.toContain(API_KEY);
    await source.close();
  });

  it('names apiKey when the API key is refused', async () => {
    server = await start(makeDashboards(1, 1));
    const h = harness();
    const config = dashboardConfig('metabase', { type: 'Metabase', hostPort: server.url, apiKey: 'mb_MARKER-bad-key' });
    const source = createMetabaseSource(config, { logger: h.logger, concurrency: 1 }, h.deps);
    const error = await rejection(source.testConnection());
    expect(error.message).toContain('apiKey');
    expect(error.message).not.toContain('mb_MARKER-bad-key');
  });

  it('skips archived dashboards and text cards, and sorts the listing by id', async () => {
    server = await start(makeDashboards(4, 2), { archived: [3] });
    const h = harness();
    const source = createMetabaseSource(
      dashboardConfig('metabase', connection(server)),
      { logger: h.logger, concurrency: 1 },
      h.deps,
    );
    const found = await discoverAll(source);
    expect(found.map((d) => d.meta?.id)).toEqual(['1', '2', '4']);
    const requests = requestsOf(await processAll(source, found));
    // Two question cards per dashboard; the text card has no card_id.
    expect(requests.filter((r) => r.kind === 'chart')).toHaveLength(6);
    await source.close();
  });

  it('reads ordered_cards from Metabase before 0.47', async () => {
    server = await start(makeDashboards(1, 3), { legacy: true });
    const h = harness();
    const source = createMetabaseSource(
      dashboardConfig('metabase', connection(server)),
      { logger: h.logger, concurrency: 1 },
      h.deps,
    );
    const requests = requestsOf(await processAll(source, await discoverAll(source)));
    expect(requests.at(-1)?.body.charts).toHaveLength(3);
    await source.close();
  });
});
