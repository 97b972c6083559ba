/** Test helpers shared by the warehouse connector tests (Snowflake, BigQuery, SQL Server, Oracle). */
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { parseConfigText, resolveConfig } from '../../../src/config/load.js';
import type { IngestionConfig } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import type { EntityOutcome, SourceOptions, UpsertRequest } from '../../../src/sources/contract.js';
import { validateCreate } from '../../support/om-schemas.js';

export const sourceOptions: SourceOptions = { logger: silentLogger, concurrency: 4 };

/**
 * A full ingestion config for a database source, parsed and validated like a user's file (secrets as
 * `${VAR}`), then resolved with `env`.
 */
export function databaseConfig(
  type: string,
  connection: Record<string, unknown>,
  sourceConfig: Record<string, unknown> = {},
  env: Record<string, string> = {},
): IngestionConfig {
  const text = stringify({
    source: {
      type,
      serviceName: `${type}_test`,
      serviceConnection: { config: connection },
      sourceConfig: { config: { type: 'DatabaseMetadata', ...sourceConfig } },
    },
    sink: { type: 'file', config: { filename: '/tmp/unused.jsonl' } },
    workflowConfig: {
      openMetadataServerConfig: { hostPort: 'http://127.0.0.1:1/api', securityConfig: { jwtToken: '${OM_JWT}' } },
    },
  });
  return resolveConfig(parseConfigText(text, `${type}-test.yaml`), { OM_JWT: 'jwt', ...env });
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Every request body of the outcomes validated against OpenMetadata 1.0.4's Create* schemas. */
export function schemaErrors(requests: readonly UpsertRequest[]): string[] {
  return requests.flatMap((r) => validateCreate(r.kind, r.body).map((e) => `${r.fqn}: ${e}`));
}

export function okRequests(outcomes: readonly EntityOutcome[]): UpsertRequest[] {
  return outcomes.flatMap((o) => (o.ok ? o.requests : []));
}

/** The table body of an outcome, for assertions on columns and constraints. */
export interface TableBody {
  name: string;
  tableType: string;
  description?: string;
  columns: {
    name: string;
    dataType: string;
    dataTypeDisplay: string;
    dataLength?: number;
    precision?: number;
    scale?: number;
    arrayDataType?: string;
    constraint?: string;
    description?: string;
    children?: TableBody['columns'];
  }[];
  tableConstraints?: { constraintType: string; columns: string[]; referredColumns?: string[] }[];
}

export function tableBody(outcomes: readonly EntityOutcome[], fqn: string): TableBody {
  const outcome = outcomes.find((o) => o.fqn === fqn);
  if (!outcome) throw new Error(`no outcome for ${fqn}; have ${outcomes.map((o) => o.fqn).join(', ')}`);
  if (!outcome.ok) throw new Error(`${fqn} failed: ${outcome.error}`);
  return outcome.requests[0]!.body as unknown as TableBody;
}

/** The 1.0.4 dataType enum, read from the vendored table schema (never a copy). */
export function omDataTypes(): Set<string> {
  const table = JSON.parse(
    readFileSync(new URL('../../../schemas/openmetadata-1.0.4/entity/data/table.json', import.meta.url), 'utf8'),
  ) as { definitions: { dataType: { enum: string[] } } };
  return new Set(table.definitions.dataType.enum);
}
