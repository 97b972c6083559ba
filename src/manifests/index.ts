/** cdk8s constructs and synthesis helpers for argo-ingest pipelines; compose them in your own cdk8s app. */
export * from './config-map.js';
export * from './cron-workflow.js';
export * from './pipeline-chart.js';
export * from './pod-security.js';
export * from './retry.js';
export * from './settings.js';
export * from './submitter-rbac.js';
export * from './synth.js';
export * from './worker-container.js';
export * from './worker-rbac.js';
export * from './workflow-template.js';
export * from './write.js';
export * from './secret-hint.js';
