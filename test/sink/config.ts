/** Builds substituted ingestion configs for sink tests (the token comes from an env variable). */
import { parseConfigText, resolveConfig } from '../../src/config/index.js';
import type { IngestionConfig } from '../../src/config/schema.js';

export interface TestConfigOptions {
  readonly hostPort: string;
  readonly token: string;
  /** `metadata-rest` unless a file name is given. */
  readonly filename?: string;
}

export function sinkTestConfig(options: TestConfigOptions): IngestionConfig {
  const sink = options.filename
    ? `sink:\n  type: file\n  config:\n    filename: ${JSON.stringify(options.filename)}\n`
    : 'sink:\n  type: metadata-rest\n  config: {}\n';
  const text = `source:
  type: postgres
  serviceName: pg_test
  serviceConnection:
    config:
      type: Postgres
      username: ingest
      password: \${PG_PASSWORD}
      hostPort: localhost:5432
      database: shop
  sourceConfig:
    config:
      type: DatabaseMetadata
${sink}workflowConfig:
  openMetadataServerConfig:
    hostPort: ${options.hostPort}
    authProvider: openmetadata
    securityConfig:
      jwtToken: \${OM_JWT_TOKEN}
`;
  return resolveConfig(parseConfigText(text, 'sink-test.yaml'), {
    OM_JWT_TOKEN: options.token,
    PG_PASSWORD: 'pg-secret',
  });
}
