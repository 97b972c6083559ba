/**
 * argo-ingest as a library: the config model, the cdk8s constructs (compose them in your own cdk8s app),
 * and the contracts a connector or sink implements. The CLI (`argo-ingest`) is built on the same exports.
 */
export * from './config/index.js';
export * from './manifests/index.js';
export type {
  DiscoverableSource,
  EntityDescriptor,
  EntityKind,
  EntityOutcome,
  SequentialSource,
  Source,
  SourceFilters,
  SourceOptions,
  UpsertRequest,
} from './sources/contract.js';
export { SourceError, isDiscoverable } from './sources/contract.js';
export { CONNECTORS, findConnector, type ConnectorEntry } from './sources/registry.js';
export type { ExistingEntity, Sink, UpsertResult } from './sink/contract.js';
export { SinkError } from './sink/contract.js';
export * as workerContract from './runtime/worker-contract.js';
