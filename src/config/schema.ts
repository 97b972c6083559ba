import { z } from 'zod';
import {
  CONNECTIONS,
  connectionSchemaOf,
  isSourceType,
  SOURCE_TYPES,
  type ConnectionOf,
  type SourceType,
} from './connections/index.js';
import { distributedExecutionSchema } from './distributed.js';
import { filterPatternSchema } from './filter-pattern.js';
import { urlField } from './fields.js';
import { SOURCE_CONFIG_KEYS } from './generated/openmetadata-keys.js';
import { didYouMean, omObject, taggedUnion, typeOf, unsupportedForm } from './om-object.js';

/**
 * `sourceConfig.config` of a pipeline type: the keys of `shape` are acted on; every other key that
 * OpenMetadata's pipeline schema defines (generated/openmetadata-keys.ts) is accepted and listed by
 * `validate` as not acted on.
 */
function sourceConfigObject<S extends z.ZodRawShape>(pipelineType: string, shape: S) {
  const known = SOURCE_CONFIG_KEYS[pipelineType] ?? [];
  return omObject(shape, { ignored: known.filter((key) => !Object.hasOwn(shape, key)) });
}

const databaseMetadataSchema = sourceConfigObject('DatabaseMetadata', {
  type: z.literal('DatabaseMetadata'),
  /** Soft-delete tables the source no longer has (finalize, guarded). @default true */
  markDeletedTables: z.boolean().default(true),
  includeTables: z.boolean().default(true),
  includeViews: z.boolean().default(true),
  useFqnForFiltering: z.boolean().default(false),
  databaseFilterPattern: filterPatternSchema.optional(),
  schemaFilterPattern: filterPatternSchema.optional(),
  tableFilterPattern: filterPatternSchema.optional(),
});

const dashboardMetadataSchema = sourceConfigObject('DashboardMetadata', {
  type: z.literal('DashboardMetadata'),
  dashboardFilterPattern: filterPatternSchema.optional(),
  chartFilterPattern: filterPatternSchema.optional(),
  /** Soft-delete dashboards the source no longer has (finalize, guarded). @default true */
  markDeletedDashboards: z.boolean().default(true),
});

const METADATA = 'argo-ingest runs metadata ingestion only';

/**
 * OpenMetadata's other pipelines (DatabaseUsage, DatabaseLineage, Profiler, dbt, ...) are refused in one
 * sentence naming the supported types.
 */
const sourceConfigSchema = unsupportedForm(
  taggedUnion('type', { DatabaseMetadata: databaseMetadataSchema, DashboardMetadata: dashboardMetadataSchema }),
  (value) => {
    const type = typeOf(value);
    if (type === undefined || type === 'DatabaseMetadata' || type === 'DashboardMetadata') return undefined;
    return {
      path: ['type'],
      message: `${METADATA}, not ${type} pipelines; use type: DatabaseMetadata (database sources) or DashboardMetadata (dashboard sources)`,
    };
  },
);

const sourceObjectSchema = omObject({
  type: z
    .string()
    .transform((s) => s.toLowerCase())
    .superRefine((type, ctx) => {
      if (isSourceType(type)) return;
      // OpenMetadata's usage and lineage workflows name their source `<connector>-usage` / `-lineage`.
      const workflow = /^(.+)-(usage|lineage)$/.exec(type);
      if (workflow && isSourceType(workflow[1]!)) {
        ctx.addIssue({
          code: 'custom',
          message: `${METADATA}, not OpenMetadata's ${workflow[2]!} workflow; use type: ${workflow[1]!} with sourceConfig.config.type: DatabaseMetadata`,
        });
        return;
      }
      const hint = didYouMean(type, SOURCE_TYPES);
      ctx.addIssue({
        code: 'custom',
        message:
          `unknown connector type "${type}"${hint.startsWith(' (did you mean') ? hint : ''}; ` +
          `supported: ${SOURCE_TYPES.join(', ')}`,
      });
    }),
  /** Name of the OpenMetadata service; resource names derive from it. */
  serviceName: z
    .string()
    .min(1)
    // OpenMetadata's createDatabaseService / createDashboardService `name` is type/basic.json
    // entityName: maxLength 256 (schemas/openmetadata-1.13).
    .max(256, 'must be at most 256 characters (OpenMetadata entityName maxLength)')
    .regex(/^((?!::)[^>"\x00-\x1f.])*$/, 'must not contain "::", ">", \'"\', "." or control characters'),
  serviceConnection: omObject({ config: z.record(z.string(), z.unknown()) }),
  sourceConfig: omObject({ config: sourceConfigSchema }),
});

type SourceObject = z.output<typeof sourceObjectSchema>;

/** `source` of a config whose `type` is `K`: `serviceConnection.config` is that connector's connection. */
export type SourceConfigOf<K extends SourceType> = {
  [P in K]: Omit<SourceObject, 'type' | 'serviceConnection'> & {
    readonly type: P;
    readonly serviceConnection: { readonly config: ConnectionOf<P> };
  };
}[K];

function typedSource<K extends SourceType>(
  type: K,
  source: SourceObject,
  connection: ConnectionOf<K>,
): SourceConfigOf<K> {
  return { ...source, type, serviceConnection: { config: connection } };
}

/** Validates serviceConnection.config with the connector's own schema, keeping YAML paths intact. */
function parseSource<K extends SourceType>(
  type: K,
  source: SourceObject,
  ctx: z.RefinementCtx,
): SourceConfigOf<K> | undefined {
  const parsed = connectionSchemaOf(type).safeParse(source.serviceConnection.config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ ...issue, path: ['serviceConnection', 'config', ...issue.path] } as never);
    }
    return undefined;
  }
  const { kind } = CONNECTIONS[type];
  const expectedKind = kind === 'database' ? 'DatabaseMetadata' : 'DashboardMetadata';
  if (source.sourceConfig.config.type !== expectedKind) {
    ctx.addIssue({
      code: 'custom',
      path: ['sourceConfig', 'config', 'type'],
      message: `a ${kind} source (${type}) needs type: ${expectedKind}`,
      input: source.sourceConfig.config.type,
    });
    return undefined;
  }
  return typedSource(type, source, parsed.data);
}

const sourceSchema = sourceObjectSchema.transform((source, ctx) => {
  // An unknown type has its issue from the refinement above.
  if (!isSourceType(source.type)) return z.NEVER;
  return parseSource(source.type, source, ctx) ?? z.NEVER;
});

const sinkSchema = taggedUnion('type', {
  'metadata-rest': omObject({ type: z.literal('metadata-rest'), config: omObject({}).default({}) }),
  file: omObject({
    type: z.literal('file'),
    /** `filename`: the JSON-lines file a dry run writes. */
    config: omObject({ filename: z.string().min(1, 'name the JSON-lines file to write') }),
  }),
});

const openMetadataServerConfigSchema = omObject(
  {
    /** OpenMetadata API base, ending in /api (e.g. http://openmetadata:8585/api). */
    hostPort: urlField('http://openmetadata:8585/api'),
    authProvider: z
      .enum(['openmetadata', 'no-auth', 'basic', 'google', 'okta', 'auth0', 'azure', 'custom-oidc', 'saml', 'ldap'])
      .default('openmetadata'),
    securityConfig: omObject({ jwtToken: z.string().min(1) }).optional(),
  },
  {
    ignored: [
      'clusterName',
      'type',
      'verifySSL',
      'sslConfig',
      'secretsManagerProvider',
      'secretsManagerLoader',
      'secretsManagerCredentials',
      'apiVersion',
      'includeTopics',
      'includeTables',
      'includeDashboards',
      'includePipelines',
      'includeMlModels',
      'includeUsers',
      'includeTeams',
      'includeGlossaryTerms',
      'includeTags',
      'includePolicy',
      'includeMessagingServices',
      'enableVersionValidation',
      'includeDatabaseServices',
      'includePipelineServices',
      'limitRecords',
      'forceEntityOverwriting',
      'elasticsSearch',
      'supportsDataInsightExtraction',
      'supportsElasticSearchReindexingExtraction',
      'extraHeaders',
      'storeServiceConnection',
    ],
  },
);

const workflowConfigSchema = omObject(
  {
    loggerLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    /** Percentage of entities that must succeed for the run to succeed. @default 90 */
    successThreshold: z.number().int().min(0).max(100).default(90),
    openMetadataServerConfig: openMetadataServerConfigSchema,
    /** Omitted means sequential; the defaults are still resolved so every consumer sees one shape. */
    distributedExecution: distributedExecutionSchema
      .optional()
      .transform((d) => d ?? distributedExecutionSchema.parse({})),
  },
  { ignored: ['raiseOnError', 'config'] },
);

export const ingestionConfigSchema = omObject(
  {
    source: sourceSchema,
    sink: sinkSchema,
    workflowConfig: workflowConfigSchema,
  },
  { ignored: ['processor', 'stage', 'bulkSink', 'ingestionPipelineFQN', 'pipelineRunId'] },
);

export type IngestionConfig = z.output<typeof ingestionConfigSchema>;
export type SourceConfig = IngestionConfig['source'];
export type DatabaseMetadataConfig = z.output<typeof databaseMetadataSchema>;
export type DashboardMetadataConfig = z.output<typeof dashboardMetadataSchema>;

/** For a connector given another connector's config: a programming error, not a user's. */
export function wrongSource(expected: SourceType, source: SourceConfig): Error {
  return new Error(`the ${expected} connector was given a ${source.type} source`);
}
