/**
 * The behaviours every dashboard connector shares, run against each vendor's fake server: discovery
 * with paging, filters, chart-before-dashboard requests that validate against OpenMetadata's schemas,
 * shard processing, 429 + Retry-After, 500 back-off, expired-session re-login, one clear error for bad
 * credentials, a dashboard deleted after discovery, and the per-source concurrency limit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestionConfig } from '../../../src/config/schema.js';
import { shardOf } from '../../../src/runtime/shards.js';
import { SourceError, type EntityDescriptor, type SourceOptions } from '../../../src/sources/contract.js';
import type { DashboardFactoryDeps } from '../../../src/sources/dashboard-common/factory.js';
import type { DashboardSource } from '../../../src/sources/dashboard-common/source.js';
import { validateEverywhere } from '../../support/om-schemas.js';
import { makeDashboards, type FakeDashboard, type VendorServer } from '../../support/vendors/fake-server.js';
import {
  SERVICE,
  dashboardConfig,
  discoverAll,
  harness,
  parentsOf,
  processAll,
  rejection,
  requestsOf,
  type SourceConfigExtra,
} from './harness.js';

export interface ConnectorSpec {
  /** `source.type`. */
  readonly type: string;
  readonly serviceType: string;
  /** Starts the fake with these dashboards and the good credentials. */
  start(dashboards: FakeDashboard[]): Promise<VendorServer>;
  /** serviceConnection.config for the fake; `wrong` swaps in a wrong secret. */
  connection(server: VendorServer, options?: { readonly wrong?: boolean }): Record<string, unknown>;
  /** Secret values used by `connection` (good and wrong): none may leak into messages, logs or bodies. */
  readonly secrets: readonly string[];
  readonly create: (config: IngestionConfig, options: SourceOptions, deps: DashboardFactoryDeps) => DashboardSource;
  /** Path of the list calls (pages are counted on it). */
  readonly listPath: RegExp;
  /** Path of the per-dashboard calls (faults are injected on it). */
  readonly detailPath: RegExp;
  /** Whether the vendor's listing is paged. @default true */
  readonly paged?: boolean;
  /** Dashboard ids of the estate (vendors with string ids map the numbers). @default numbers */
  readonly idOf?: (n: number) => string | number;
  /** Words the bad-credentials message must contain (the fields to check). */
  readonly credentialFields: readonly string[];
}

const PAGE = 4;

export function describeConnector(spec: ConnectorSpec): void {
  describe(`${spec.type} connector (shared behaviour)`, () => {
    let server: VendorServer | undefined;
    let source: DashboardSource | undefined;
    const messages: string[] = [];

    afterEach(async () => {
      await source?.close();
      await server?.close();
      source = undefined;
      server = undefined;
    });

    const estate = (count = 10, chartsPer = 3) =>
      makeDashboards(count, chartsPer, { types: ['line', 'bar', 'pie', 'table'], idOf: spec.idOf });

    async function open(
      dashboards: FakeDashboard[],
      extra: SourceConfigExtra = {},
      connectionExtra: Record<string, unknown> = {},
      concurrency = 4,
    ) {
      server = await spec.start(dashboards);
      const h = harness(PAGE);
      const config = dashboardConfig(spec.type, { ...spec.connection(server), ...connectionExtra }, extra);
      source = spec.create(config, { logger: h.logger, concurrency }, h.deps);
      await source.testConnection();
      return { server, source, h };
    }

    it('discovers every dashboard across pages, ids as names, in a stable order', async () => {
      const dashboards = estate(10);
      const { server, source } = await open(dashboards);
      const first = await discoverAll(source);
      const second = await discoverAll(source);
      expect(first.map((d) => d.fqn).sort()).toEqual(dashboards.map((d) => `${SERVICE}.${d.id}`).sort());
      expect(second).toEqual(first);
      expect(first.every((d) => d.type === 'dashboard')).toBe(true);
      const listCalls = server.requests.filter((r) => spec.listPath.test(r.path));
      // 10 dashboards, pages of 4: three pages per listing (two listings).
      if (spec.paged !== false) expect(listCalls.length).toBeGreaterThanOrEqual(6);
      // Discovery is cheap: no per-dashboard call.
      expect(server.requests.some((r) => spec.detailPath.test(r.path))).toBe(false);
    });

    it('upserts charts before the dashboard that links them, every body valid for OpenMetadata 1.0.4', async () => {
      const dashboards = estate(3, 2);
      const { source } = await open(dashboards);
      const outcomes = await processAll(source, await discoverAll(source));
      expect(outcomes.every((o) => o.ok)).toBe(true);
      for (const outcome of outcomes) {
        if (!outcome.ok) continue;
        const kinds = outcome.requests.map((r) => r.kind);
        expect(kinds.at(-1)).toBe('dashboard');
        const dashboard = outcome.requests.at(-1)!;
        expect(dashboard.fqn).toBe(outcome.fqn);
        const charts = outcome.requests.slice(0, -1);
        expect(charts.every((r) => r.kind === 'chart')).toBe(true);
        expect(dashboard.body.charts).toEqual(charts.map((c) => c.fqn));
        expect(charts).toHaveLength(2);
      }
      const parents = await parentsOf(source);
      expect(parents.map((p) => p.kind)).toEqual(['dashboardService']);
      expect(parents[0]!.body).toMatchObject({ name: SERVICE, serviceType: spec.serviceType });
      for (const request of [...parents, ...requestsOf(outcomes)]) {
        expect(validateEverywhere(request), `${request.kind} ${request.fqn}`).toEqual([]);
      }
      const byFqn = new Map(requestsOf(outcomes).map((r) => [r.fqn, r]));
      const first = dashboards[0]!;
      expect(byFqn.get(`${SERVICE}.${first.id}`)?.body).toMatchObject({
        name: String(first.id),
        displayName: first.title,
      });
      expect(byFqn.get(`${SERVICE}.${first.charts[0]!.id}`)?.body).toMatchObject({
        name: String(first.charts[0]!.id),
        displayName: first.charts[0]!.title,
        service: SERVICE,
      });
    });

    it('keeps secrets out of the service body', async () => {
      const { source } = await open(estate(1));
      const text = JSON.stringify(await parentsOf(source));
      for (const secret of spec.secrets) expect(text).not.toContain(secret);
    });

    it('applies dashboardFilterPattern to titles and chartFilterPattern to chart titles', async () => {
      const dashboards = estate(6, 3);
      const { source } = await open(dashboards, {
        dashboardFilterPattern: { excludes: ['dashboard 000[12]$'] },
        chartFilterPattern: { excludes: ['chart \\d+\\.2$'] },
      });
      const found = await discoverAll(source);
      expect(found.map((d) => d.meta?.title)).not.toContain('Dashboard 0001');
      expect(found).toHaveLength(4);
      const requests = requestsOf(await processAll(source, found));
      const charts = requests.filter((r) => r.kind === 'chart');
      expect(charts).toHaveLength(8);
      expect(charts.some((c) => String(c.body.displayName).endsWith('.2'))).toBe(false);
      for (const d of requests.filter((r) => r.kind === 'dashboard')) expect(d.body.charts).toHaveLength(2);
    });

    it('processes shards that together cover every dashboard exactly once', async () => {
      const dashboards = estate(12, 1);
      const { source } = await open(dashboards);
      const shards = 3;
      const seen: string[] = [];
      for (let shard = 0; shard < shards; shard++) {
        const mine: EntityDescriptor[] = (await discoverAll(source)).filter((d) => shardOf(d.fqn, shards) === shard);
        const outcomes = await processAll(source, mine, 5);
        expect(outcomes.every((o) => o.ok)).toBe(true);
        seen.push(...outcomes.map((o) => o.fqn));
      }
      expect(seen.sort()).toEqual(dashboards.map((d) => `${SERVICE}.${d.id}`).sort());
    });

    it('waits as long as Retry-After says on 429, then succeeds', async () => {
      const { server, source, h } = await open(estate(2, 1));
      const found = await discoverAll(source);
      server.inject({ status: 429, retryAfter: 7, path: spec.detailPath, times: 2 });
      const outcomes = await processAll(source, found);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(h.sleeps).toEqual([7000, 7000]);
      expect(h.logLines.some((l) => l.includes('429'))).toBe(true);
    });

    it('backs off on 500 with the retry policy, then succeeds', async () => {
      const { server, source, h } = await open(estate(1, 1));
      const found = await discoverAll(source);
      server.inject({ status: 500, path: spec.detailPath, times: 2 });
      const outcomes = await processAll(source, found);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(h.sleeps).toEqual([1000, 2000]);
    });

    it('reports one failed dashboard, not a failed batch, when 500s outlast the retries', async () => {
      // One request at a time, so the four 500s all land on the first dashboard.
      const { server, source } = await open(estate(2, 1), {}, { maxConcurrentRequests: 1 });
      const found = await discoverAll(source);
      server.inject({ status: 500, path: spec.detailPath, times: 4 });
      const outcomes = await processAll(source, found);
      expect(outcomes.filter((o) => !o.ok)).toHaveLength(1);
      expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    });

    it('signs in again when the session expires, once for concurrent requests', async () => {
      const { server, source } = await open(estate(8, 1));
      const found = await discoverAll(source);
      expect(server.logins).toBe(1);
      server.expireSessions();
      const outcomes = await processAll(source, found, 8);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(server.rejectedSessions).toBeGreaterThanOrEqual(1);
      expect(server.logins).toBe(2);
    });

    it('fails with one clear sentence on bad credentials, naming the fields and no secret', async () => {
      server = await spec.start(estate(1));
      const h = harness(PAGE);
      const config = dashboardConfig(spec.type, spec.connection(server, { wrong: true }));
      source = spec.create(config, { logger: h.logger, concurrency: 2 }, h.deps);
      const error = await rejection(source.testConnection());
      messages.push(error.message, ...h.logLines);
      expect(error).toBeInstanceOf(SourceError);
      expect((error as SourceError).reason).toBe('auth');
      expect(error.message).not.toContain('\n');
      for (const field of spec.credentialFields) expect(error.message).toContain(field);
      for (const secret of spec.secrets) expect(messages.join('\n')).not.toContain(secret);
      // A refused sign-in is not retried: the same credentials would be refused again.
      expect(h.sleeps).toEqual([]);
    });

    it('reports a dashboard deleted after discovery as one failure', async () => {
      const dashboards = estate(3, 1);
      const { source } = await open(dashboards);
      const found = await discoverAll(source);
      dashboards.splice(1, 1);
      const outcomes = await processAll(source, found);
      const failed = outcomes.filter((o) => !o.ok);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ ok: false, retryable: false });
      expect(!failed[0]!.ok && failed[0]!.error).toContain('no longer exists');
    });

    it('reports a dashboard the account may not read (403) as that dashboard failing', async () => {
      const { server, source } = await open(estate(2, 1), {}, { maxConcurrentRequests: 1 });
      const found = await discoverAll(source);
      server.inject({ status: 403, path: spec.detailPath, times: 1 });
      const outcomes = await processAll(source, found);
      expect(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.error)).toEqual([expect.stringContaining('403')]);
    });

    it('fails the whole batch, after retrying, when the vendor becomes unreachable', async () => {
      const { server, source, h } = await open(estate(2, 1));
      const found = await discoverAll(source);
      await server.close();
      const error = await rejection(source.process(found));
      expect(error).toBeInstanceOf(SourceError);
      expect((error as SourceError).reason).toBe('unreachable');
      expect(error.message).toContain('hostPort');
      expect(h.sleeps.length).toBeGreaterThanOrEqual(3);
    });

    it('keeps at most maxConcurrentRequests requests in flight', async () => {
      const { server, source } = await open(estate(12, 1), {}, { maxConcurrentRequests: 2 }, 16);
      const outcomes = await processAll(source, await discoverAll(source), 12);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(server.maxInFlight).toBeLessThanOrEqual(2);
    });
  });
}
