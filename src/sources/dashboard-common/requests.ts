/**
 * Builders of OpenMetadata Create* bodies for dashboard sources: createDashboardService, createChart,
 * createDashboard. They send only fields valid in both OpenMetadata 1.0.4 and current releases: name,
 * displayName, description, chartType, service, charts. (The URL fields differ: 1.0.4 has
 * chartUrl/dashboardUrl, current releases sourceUrl, so neither is sent.)
 */
import type { UpsertRequest } from '../../model/entities.js';
import { buildFqn } from '../../model/fqn.js';
import { compact } from '../common/requests.js';

/**
 * OpenMetadata's password mask. A service PUT whose secret field holds this value keeps the secret the
 * server already stores (OpenMetadata's PasswordEntityMasker), so argo-ingest satisfies the 1.0.4
 * schemas' required secret fields without ever sending a secret.
 */
export const SECRET_MASK = '*********';

/** chart.json#/definitions/chartType of OpenMetadata 1.0.4 (current releases accept a superset). */
export type OmChartType =
  'Line' | 'Table' | 'Bar' | 'Area' | 'Pie' | 'Histogram' | 'Scatter' | 'Text' | 'BoxPlot' | 'Other';

/** Vendor visualisation names -> OpenMetadata chart types; the first matching rule wins. */
const CHART_TYPE_RULES: readonly (readonly [RegExp, OmChartType])[] = [
  [/box/i, 'BoxPlot'],
  [/histogram/i, 'Histogram'],
  [/scatter|bubble/i, 'Scatter'],
  [/area/i, 'Area'],
  [/line|time_?series|sparkline/i, 'Line'],
  [/pie|donut|doughnut/i, 'Pie'],
  [/bar|column|row|waterfall|funnel/i, 'Bar'],
  [/table|grid|pivot|single_value|scalar|big_number|number/i, 'Table'],
  [/text|markdown|html/i, 'Text'],
];

/** Maps a vendor's visualisation type (`looker_line`, `bar`, `echarts_timeseries_line`...) to a chartType. */
export function chartTypeOf(vendorType: string | null | undefined): OmChartType {
  if (!vendorType) return 'Other';
  for (const [pattern, type] of CHART_TYPE_RULES) if (pattern.test(vendorType)) return type;
  return 'Other';
}

export function dashboardServiceRequest(
  service: string,
  serviceType: string,
  connectionConfig: Readonly<Record<string, unknown>>,
): UpsertRequest {
  return {
    kind: 'dashboardService',
    fqn: buildFqn(service),
    body: { name: service, serviceType, connection: { config: connectionConfig } },
  };
}

export interface ChartInfo {
  /** The vendor's id; the OpenMetadata name (stable across renames). */
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly chartType?: OmChartType;
}

export function chartFqn(service: string, chartId: string): string {
  return buildFqn(service, chartId);
}

export function chartRequest(service: string, chart: ChartInfo): UpsertRequest {
  return {
    kind: 'chart',
    fqn: chartFqn(service, chart.id),
    body: compact({
      name: chart.id,
      displayName: chart.title || undefined,
      description: chart.description || undefined,
      chartType: chart.chartType ?? 'Other',
      service,
    }),
  };
}

export interface DashboardInfo {
  /** The vendor's id; the OpenMetadata name. */
  readonly id: string;
  readonly title: string;
  readonly description?: string;
}

export function dashboardRequest(
  service: string,
  dashboard: DashboardInfo,
  chartFqns: readonly string[],
): UpsertRequest {
  return {
    kind: 'dashboard',
    fqn: buildFqn(service, dashboard.id),
    body: compact({
      name: dashboard.id,
      displayName: dashboard.title || undefined,
      description: dashboard.description || undefined,
      charts: [...chartFqns],
      service,
    }),
  };
}
