/**
 * argo-ingest as a library. Three parts, each a small curated surface (internals stay unexported):
 * - cdk8s constructs: `IngestionPipeline` (typed props, or `fromConfigFile`) and the constructs it
 *   composes, for your own cdk8s app;
 * - config: load and validate an OpenMetadata ingestion config file;
 * - synthesis and local runs: the manifests as plain objects or files, and a pipeline run in-process.
 */

// cdk8s constructs and their props.
export {
  IngestionPipeline,
  pipelineConfigFromProps,
  type ConnectionBySourceType,
  type IngestionPipelineConfigProps,
  type IngestionPipelineProps,
  type PipelineArgoOptions,
  type PipelineCommonProps,
  type PipelineFilters,
  type PipelineObjectNames,
  type PipelineSource,
  type SourceType,
} from './manifests/pipeline.js';
export { PipelineChart, type PipelineChartProps } from './manifests/pipeline-chart.js';
export { PipelineConfigMap, type PipelineConfigMapProps } from './manifests/config-map.js';
export { WorkerRbac, type WorkerRbacProps, type ServiceAccountReference } from './manifests/worker-rbac.js';
export { IngestionWorkflowTemplate, type IngestionWorkflowTemplateProps } from './manifests/workflow-template.js';
export { SubmitterRbac, type SubmitterRbacProps } from './manifests/submitter-rbac.js';
export { IngestionCronWorkflow, type IngestionCronWorkflowProps } from './manifests/cron-workflow.js';
export { pipelineSettings, type PipelineSettings, type SecretVariable } from './manifests/settings.js';

// Synthesis without a cdk8s app (what `argo-ingest synth` writes).
export { synthPipelineFiles, synthPipelineObjects, type SynthFile, type SynthOptions } from './manifests/synth.js';
export { secretCommands } from './manifests/secret-hint.js';

// Config files.
export { loadConfigFile, parseConfigText, resolveConfig, type LoadedConfig } from './config/load.js';
export { ConfigError, type ConfigIssue } from './config/errors.js';
export { MissingVariablesError } from './config/substitute.js';
export { ingestionConfigSchema, type IngestionConfig } from './config/schema.js';
export type { DistributedExecution, RetryPolicy } from './config/distributed.js';
export { pipelineName } from './config/names.js';

// Running a pipeline in this process (`orchestrator: local`, or distributed execution off).
export { runInProcess, type RunInProcessOptions } from './runtime/run.js';
export type { RunReport } from './runtime/summary.js';
export { createLogger, type Logger, type LogLevel } from './util/logger.js';
