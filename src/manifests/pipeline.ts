/**
 * The L2 construct of argo-ingest: one ingestion pipeline (ConfigMap, worker RBAC, WorkflowTemplate,
 * optional submitter RBAC and CronWorkflow) from typed props, or from a config file.
 */
import { Construct } from 'constructs';
import type { z } from 'zod';
import { ConfigError } from '../config/errors.js';
import { loadConfigFile, parseConfigText, type LoadedConfig } from '../config/load.js';
import type { ingestionConfigSchema } from '../config/schema.js';
import { CONNECTIONS, type SourceType } from '../config/connections/index.js';
import { PipelineConfigMap } from './config-map.js';
import { IngestionCronWorkflow } from './cron-workflow.js';
import { pipelineSettings, type PipelineSettings } from './settings.js';
import { SubmitterRbac } from './submitter-rbac.js';
import { toYaml } from './yaml.js';
import { WorkerRbac, type ServiceAccountReference } from './worker-rbac.js';
import { IngestionWorkflowTemplate } from './workflow-template.js';

/** What a config file may hold, before defaults (zod input types: every defaulted field is optional). */
type ConfigInput = z.input<typeof ingestionConfigSchema>;
type DistributedInput = NonNullable<ConfigInput['workflowConfig']['distributedExecution']>;

/** `serviceConnection.config` of each connector, as written (OpenMetadata's field names). */
export type ConnectionBySourceType = {
  readonly [K in SourceType]: z.input<(typeof CONNECTIONS)[K]['connectionSchema']>;
};

/** A connector's `source.type`. */
export type { SourceType };

/** The source: its type and that connector's typed connection. */
export type PipelineSource = {
  readonly [T in SourceType]: {
    /** The connector (`source.type` in a config file). */
    readonly sourceType: T;
    /**
     * The connector's `serviceConnection.config`. Secrets are `${VAR}` placeholders (a literal password is
     * refused); the pods read the values from Kubernetes Secrets (see `secrets`). `type` may be omitted.
     */
    readonly connection: ConnectionBySourceType[T];
  };
}[SourceType];

/** `sourceConfig.config` without `type`, which follows from the connector (DatabaseMetadata or DashboardMetadata). */
export type PipelineFilters = DistributiveOmit<ConfigInput['source']['sourceConfig']['config'], 'type'>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * The Argo settings of a pipeline: `workflowConfig.distributedExecution` of a config file without
 * `enabled` and `orchestrator` (a construct always makes an Argo pipeline). Each field documents its
 * default in src/config/distributed.ts; the main ones: `name` (the source's serviceName, DNS-1123-ised),
 * `namespace` ("default"), `image` ("argo-ingest:0.1.0"), `parallelism` (50), `retryPolicy` (3 attempts,
 * 60 s backoff x2, at most 600 s), `resourceRequests` (500m / 1Gi), `resourceLimits` (1 / 2Gi),
 * `timeoutSeconds` (86400), `secrets` (every variable from the Secret "<name>-credentials"), `schedule`
 * (none: no CronWorkflow), `timezone` ("UTC"), `concurrencyPolicy` ("Forbid"), `serviceAccount` (created
 * as "<name>-worker"), `submitter` (none).
 */
export type PipelineArgoOptions = Readonly<
  Omit<DistributedInput, 'enabled' | 'orchestrator' | 'serviceAccount' | 'submitter'>
> & {
  /**
   * An existing ServiceAccount for the workflow pods (its name, or a cdk8s-plus `ServiceAccount`).
   * @default one created as "<name>-worker", with least-privilege RBAC
   */
  readonly serviceAccount?: string | ServiceAccountReference;
  /** Also let this ServiceAccount submit and follow the pipeline's workflows. @default none */
  readonly submitter?: { readonly serviceAccount: string | ServiceAccountReference };
};

/** Everything a pipeline needs besides its source; see `IngestionPipelineProps`. */
export interface PipelineCommonProps {
  /** Name of the OpenMetadata service; the pipeline's name derives from it unless `name` is set. */
  readonly serviceName: string;
  /** Filter patterns and metadata options (`markDeletedTables`, `includeViews`, ...). @default no filters */
  readonly filters?: PipelineFilters;
  /** The OpenMetadata server (`hostPort`, `authProvider`, `securityConfig.jwtToken` as `${VAR}`). */
  readonly openMetadata: ConfigInput['workflowConfig']['openMetadataServerConfig'];
  /** Where entities go. @default { type: 'metadata-rest' } (the OpenMetadata server) */
  readonly sink?: ConfigInput['sink'];
  /** Worker log level. @default "INFO" */
  readonly loggerLevel?: ConfigInput['workflowConfig']['loggerLevel'];
  /** Percentage of entities that must succeed for a run to succeed. @default 90 */
  readonly successThreshold?: number;
  /** Names of the objects, to override the derived ones. @default derived from the pipeline's name */
  readonly names?: PipelineObjectNames;
}

/**
 * Flat props of an `IngestionPipeline`: the source (`sourceType` + typed `connection`), the OpenMetadata
 * server, and the Argo settings (`parallelism`, `retryPolicy`, `resourceRequests`, `schedule`,
 * `secrets`, ...). They are validated by the same schema as a config file.
 */
export type IngestionPipelineProps = PipelineSource & PipelineCommonProps & PipelineArgoOptions;

/** A pipeline from a loaded config file (`IngestionPipeline.fromConfigFile` builds these). */
export interface IngestionPipelineConfigProps {
  /** A loaded, valid config with distributed execution on and orchestrator argo. */
  readonly loaded: LoadedConfig;
  /** Overrides the config's namespace. @default the config's `distributedExecution.namespace` */
  readonly namespace?: string;
  /** Names of the objects, to override the derived ones. @default derived from the pipeline's name */
  readonly names?: PipelineObjectNames;
}

/** Names of the pipeline's objects. Each defaults to one derived from the pipeline's name. */
export interface PipelineObjectNames {
  /** @default "<pipeline>-config" */
  readonly configMap?: string;
  /** Role and RoleBinding of the workers. @default "<pipeline>-worker" */
  readonly workerRole?: string;
  /** @default "<pipeline>" */
  readonly workflowTemplate?: string;
  /** Role and RoleBinding of the submitter. @default "<pipeline>-submitter" */
  readonly submitterRole?: string;
  /** @default "<pipeline>" */
  readonly cronWorkflow?: string;
}

/**
 * One ingestion pipeline on Argo Workflows: a ConfigMap with the config, the workers' ServiceAccount and
 * RBAC, the WorkflowTemplate (discover -> shards -> finalize), the submitter RBAC when `submitter` is
 * set and a CronWorkflow when `schedule` is set. Names are fixed (no hashes) so that `kubectl apply` and
 * GitOps tools update the same objects on every synth.
 *
 * @example
 * new IngestionPipeline(chart, 'warehouse', {
 *   sourceType: 'postgres',
 *   serviceName: 'warehouse_pg',
 *   connection: { hostPort: '${PG_HOST_PORT}', username: '${PG_USER}', authType: { password: '${PG_PASSWORD}' }, database: 'warehouse' },
 *   openMetadata: { hostPort: '${OM_HOST_PORT}', securityConfig: { jwtToken: '${OM_JWT_TOKEN}' } },
 *   namespace: 'openmetadata',
 *   parallelism: 30,
 * });
 */
export class IngestionPipeline extends Construct {
  /** A pipeline from a config file (read and validated now; throws ConfigError naming each problem). */
  static fromConfigFile(
    scope: Construct,
    id: string,
    path: string,
    options: Omit<IngestionPipelineConfigProps, 'loaded'> = {},
  ): IngestionPipeline {
    return new IngestionPipeline(scope, id, { ...options, loaded: loadConfigFile(path) });
  }

  /** The pipeline's name, namespace, labels, Secrets and Argo settings, as the constructs use them. */
  readonly settings: PipelineSettings;
  /** The config the workers read (for typed props: rendered to YAML and validated like a file). */
  readonly config: LoadedConfig;
  readonly configMap: PipelineConfigMap;
  readonly workerRbac: WorkerRbac;
  readonly workflowTemplate: IngestionWorkflowTemplate;
  /** Present when `submitter` is set. */
  readonly submitterRbac?: SubmitterRbac;
  /** Present when `schedule` is set. */
  readonly cronWorkflow?: IngestionCronWorkflow;

  constructor(scope: Construct, id: string, props: IngestionPipelineProps | IngestionPipelineConfigProps) {
    super(scope, id);
    if ('loaded' in props) {
      this.config = props.loaded;
      this.settings = pipelineSettings(this.config, { namespace: props.namespace });
    } else {
      this.config = pipelineConfigFromProps(props, this.node.path);
      this.settings = inPropsTerms(() => pipelineSettings(this.config));
    }
    const settings = this.settings;
    const dist = settings.distributed;
    const names = props.names ?? {};
    this.configMap = new PipelineConfigMap(this, 'Config', { settings, name: names.configMap });
    this.workerRbac = new WorkerRbac(this, 'WorkerRbac', { settings, roleName: names.workerRole });
    this.workflowTemplate = new IngestionWorkflowTemplate(this, 'WorkflowTemplate', {
      settings,
      configMap: this.configMap,
      serviceAccount: this.workerRbac.serviceAccount,
      name: names.workflowTemplate,
    });
    if (dist.submitter) {
      this.submitterRbac = new SubmitterRbac(this, 'SubmitterRbac', {
        settings,
        workflowTemplate: this.workflowTemplate,
        serviceAccount: { name: dist.submitter.serviceAccount },
        roleName: names.submitterRole,
      });
    }
    if (dist.schedule) {
      this.cronWorkflow = new IngestionCronWorkflow(this, 'CronWorkflow', {
        settings,
        workflowTemplate: this.workflowTemplate,
        schedule: dist.schedule,
        name: names.cronWorkflow,
      });
    }
  }
}

/**
 * Typed props as a config (the text the ConfigMap holds), validated by the same schema and checks as a
 * config file; `origin` names it in errors (paths are those of a config file).
 */
export function pipelineConfigFromProps(props: IngestionPipelineProps, origin = '<IngestionPipeline>'): LoadedConfig {
  const {
    sourceType,
    connection,
    serviceName,
    filters,
    openMetadata,
    sink,
    loggerLevel,
    successThreshold,
    names,
    serviceAccount,
    submitter,
    ...distributed
  } = props;
  void names; // object names are the constructs' business, not the config's
  const connector = CONNECTIONS[sourceType];
  const metadataType = connector.kind === 'dashboard' ? 'DashboardMetadata' : 'DatabaseMetadata';
  const config = {
    source: {
      type: sourceType,
      serviceName,
      serviceConnection: { config: { type: connector.serviceType, ...connection } },
      sourceConfig: { config: { type: metadataType, ...filters } },
    },
    sink: sink ?? { type: 'metadata-rest', config: {} },
    workflowConfig: {
      ...(loggerLevel !== undefined ? { loggerLevel } : {}),
      ...(successThreshold !== undefined ? { successThreshold } : {}),
      openMetadataServerConfig: openMetadata,
      distributedExecution: {
        enabled: true,
        orchestrator: 'argo',
        ...distributed,
        serviceAccount: nameOf(serviceAccount),
        submitter: submitter && { serviceAccount: nameOf(submitter.serviceAccount) },
      },
    },
  };
  return inPropsTerms(() => parseConfigText(toYaml(withoutUndefined(config)), origin));
}

/** Config paths as prop names, longest prefix first (`workflowConfig.distributedExecution.x` is `x`). */
const PROP_PATHS: readonly (readonly [string, string])[] = [
  ['source.serviceConnection.config', 'connection'],
  ['source.sourceConfig.config', 'filters'],
  ['source.serviceName', 'serviceName'],
  ['source.type', 'sourceType'],
  ['workflowConfig.openMetadataServerConfig', 'openMetadata'],
  ['workflowConfig.distributedExecution', ''],
  ['workflowConfig', ''],
];

/**
 * Runs `build`, rethrowing a ConfigError with the props' names for its paths and no line numbers (the
 * YAML rendered from props is nobody's file).
 */
function inPropsTerms<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(
      error.file,
      error.issues.map((issue) => ({ path: propPath(issue.path), message: issue.message })),
    );
  }
}

function propPath(path: string): string {
  for (const [prefix, prop] of PROP_PATHS) {
    if (path === prefix) return prop;
    if (path.startsWith(`${prefix}.`)) return [prop, path.slice(prefix.length + 1)].filter(Boolean).join('.');
  }
  return path;
}

function nameOf(account: string | ServiceAccountReference | undefined): string | undefined {
  return typeof account === 'object' ? account.name : account;
}

/** Drops `undefined` members (an optional prop left out), recursively. */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, withoutUndefined(v)]),
  );
}
