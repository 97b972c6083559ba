import { afterEach, describe, expect, it } from 'vitest';
import { createTableauSource as createTableauSourceFromSource } from '../../../src/sources/tableau/source.js';
import { fromConfig } from '../../support/source-from-config.js';
import { makeDashboards, type FakeDashboard, type VendorServer } from '../../support/vendors/fake-server.js';
import { startFakeTableau, type FakeTableau } from '../../support/vendors/tableau.js';
import { dashboardConfig, discoverAll, harness, processAll, rejection, requestsOf } from './harness.js';
import { describeConnector } from './suite.js';

const createTableauSource = fromConfig(createTableauSourceFromSource);

const PAT_NAME = 'ingest-pat';
const PAT_SECRET = 'MARKER-tableau-pat-8d9e';
const WRONG = 'MARKER-tableau-wrong-1f2a';
const PASSWORD = 'MARKER-tableau-password-4c5d';
const SITE = 'marketing';

const connection = (server: VendorServer, options: { wrong?: boolean } = {}) => ({
  type: 'Tableau',
  hostPort: server.url,
  authType: { personalAccessTokenName: PAT_NAME, personalAccessTokenSecret: options.wrong ? WRONG : PAT_SECRET },
  apiVersion: '3.19',
  siteName: 'Marketing',
  siteUrl: SITE,
  paginationLimit: 4,
});

const wbId = (n: number) => `wb-${String(n).padStart(4, '0')}`;

const start = (dashboards: FakeDashboard[]) =>
  startFakeTableau({
    pat: { name: PAT_NAME, secret: PAT_SECRET },
    basic: { username: 'analyst', password: PASSWORD },
    contentUrl: SITE,
    dashboards,
  });

describeConnector({
  type: 'tableau',
  serviceType: 'Tableau',
  start,
  connection,
  secrets: [PAT_SECRET, WRONG, PASSWORD],
  create: createTableauSource,
  listPath: /\/sites\/[^/]+\/workbooks$/,
  detailPath: /\/workbooks\/[^/]+\/views$/,
  idOf: wbId,
  credentialFields: ['personalAccessTokenName', 'personalAccessTokenSecret', 'siteUrl'],
});

describe('tableau connector (Tableau specifics)', () => {
  let server: FakeTableau | undefined;
  afterEach(async () => server?.close());

  it('signs in with a username and password on the configured site, and signs out on close', async () => {
    server = await start(makeDashboards(2, 2, { idOf: wbId }));
    const h = harness();
    const config = dashboardConfig('tableau', {
      ...connection(server),
      authType: { username: 'analyst', password: PASSWORD },
    });
    const source = createTableauSource(config, { logger: h.logger, concurrency: 2 }, h.deps);
    const requests = requestsOf(await processAll(source, await discoverAll(source)));
    expect(requests.filter((r) => r.kind === 'chart')).toHaveLength(4);
    expect(server.requests.every((r) => r.path.startsWith('/api/3.19/'))).toBe(true);
    expect(server.requests.some((r) => r.path.includes(`/sites/${server!.siteId}/workbooks`))).toBe(true);
    await source.close();
    await source.close();
    expect(server.signOuts).toBe(1);
  });

  it('pages workbooks by pageNumber until totalAvailable', async () => {
    server = await start(makeDashboards(9, 1, { idOf: wbId }));
    const h = harness();
    const source = createTableauSource(
      dashboardConfig('tableau', connection(server)),
      { logger: h.logger, concurrency: 1 },
      h.deps,
    );
    expect(await discoverAll(source)).toHaveLength(9);
    const pages = server.requests.filter((r) => r.path.endsWith('/workbooks'));
    expect(pages.map((r) => [r.query.pageNumber, r.query.pageSize])).toEqual([
      ['1', '4'],
      ['2', '4'],
      ['3', '4'],
    ]);
    await source.close();
  });

  it('carries the workbook description to the dashboard', async () => {
    server = await start(makeDashboards(1, 1, { idOf: wbId }));
    const h = harness();
    const source = createTableauSource(
      dashboardConfig('tableau', connection(server)),
      { logger: h.logger, concurrency: 1 },
      h.deps,
    );
    const requests = requestsOf(await processAll(source, await discoverAll(source)));
    expect(requests.at(-1)?.body).toMatchObject({ name: wbId(1), description: 'About dashboard 1' });
    await source.close();
  });

  it('refuses a wrong site with the site named in the message', async () => {
    server = await start(makeDashboards(1, 1, { idOf: wbId }));
    const h = harness();
    const config = dashboardConfig('tableau', { ...connection(server), siteUrl: 'sales' });
    const source = createTableauSource(config, { logger: h.logger, concurrency: 1 }, h.deps);
    const error = await rejection(source.testConnection());
    expect(error.message).toContain('"sales"');
    expect(error.message).not.toContain(PAT_SECRET);
  });
});
