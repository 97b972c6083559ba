/**
 * A cdk8s app that builds two ingestion pipelines from typed props, no YAML config: run `npx cdk8s synth`
 * in this folder (manifests go to ./dist, or $CDK8S_OUTDIR).
 *
 * Outside this repository, import from 'argo-ingest' instead of '../../src/index.js'.
 */
import { App, Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { IngestionPipeline } from '../../src/index.js';

const IMAGE = 'ghcr.io/example/argo-ingest:0.1.0';

/** OpenMetadata server, shared by both pipelines; the token comes from each pipeline's Secret. */
const OPENMETADATA = {
  hostPort: '${OPENMETADATA_HOST_PORT}',
  authProvider: 'openmetadata',
  securityConfig: { jwtToken: '${OM_JWT_TOKEN}' },
} as const;

export class IngestionChart extends Chart {
  readonly warehouse: IngestionPipeline;
  readonly dashboards: IngestionPipeline;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { ...props, disableResourceNameHashes: true });

    // PostgreSQL every night at 02:00, 30 pods at a time, a CI account may submit runs by hand.
    this.warehouse = new IngestionPipeline(this, 'Warehouse', {
      sourceType: 'postgres',
      serviceName: 'warehouse_pg',
      connection: {
        hostPort: '${POSTGRES_HOST_PORT}',
        username: '${POSTGRES_USER}',
        authType: { password: '${POSTGRES_PASSWORD}' },
        database: 'warehouse',
      },
      filters: { schemaFilterPattern: { excludes: ['^pg_', '^information_schema$'] } },
      openMetadata: OPENMETADATA,
      namespace: 'openmetadata',
      image: IMAGE,
      parallelism: 30,
      retryPolicy: { maxAttempts: 4, backoffSeconds: 30 },
      resourceRequests: { cpu: '250m', memory: '512Mi' },
      resourceLimits: { cpu: '1', memory: '1Gi' },
      schedule: '0 2 * * *',
      timezone: 'Europe/Berlin',
      submitter: { serviceAccount: 'ingestion-ci' },
      labels: { team: 'data-platform' },
    });

    // Metabase on demand; its password lives in a Secret the platform team already manages.
    this.dashboards = new IngestionPipeline(this, 'Dashboards', {
      sourceType: 'metabase',
      serviceName: 'metabase_prod',
      connection: {
        hostPort: 'https://metabase.example.com',
        username: '${METABASE_USER}',
        password: '${METABASE_PASSWORD}',
      },
      openMetadata: OPENMETADATA,
      namespace: 'openmetadata',
      image: IMAGE,
      parallelism: 4,
      secrets: { variables: { METABASE_PASSWORD: { secret: 'metabase-api', key: 'password' } } },
      names: { workflowTemplate: 'metabase-ingestion' },
    });
  }
}

/** Builds the app's charts into `app` (the test synthesizes them with a Testing app). */
export function build(app: App): App {
  new IngestionChart(app, 'ingestion');
  return app;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  build(new App()).synth();
}
