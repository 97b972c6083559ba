import { z } from 'zod';
import { cronProblem, imageReferenceProblem, parseQuantity } from './k8s-values.js';
import { omObject } from './om-object.js';

/** DNS-1123 label: what Kubernetes accepts as a resource name part. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const dnsName = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .regex(DNS1123_LABEL, 'must be lower-case letters, digits and "-", starting and ending with a letter or digit');

/**
 * Kubernetes quantities such as `500m`, `1`, `1Gi` (k8s-values.ts parseQuantity), never negative
 * (pkg/apis/core/validation ValidateNonnegativeQuantity: "must be greater than or equal to 0").
 */
const quantity = z.string().superRefine((text, ctx) => {
  const value = parseQuantity(text);
  if (value === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `must be a Kubernetes quantity such as "500m", "1", "1Gi" (units: m, k, M, G, Ki, Mi, Gi, ...), not ${JSON.stringify(text)}`,
    });
  } else if (value < 0) {
    ctx.addIssue({ code: 'custom', message: `must not be negative, not ${JSON.stringify(text)}` });
  }
});

const resources = (cpu: string, memory: string) =>
  omObject({ cpu: quantity.default(cpu), memory: quantity.default(memory) }).default({ cpu, memory });

export const retryPolicySchema = omObject({
  /**
   * Tries per entity and per pod (Argo retry limit = maxAttempts - 1); the writes of one entity get
   * maxAttempts^2 - 1 retries in all (docs/runtime.md "Retries"). @default 3
   */
  maxAttempts: z.number().int().min(1).max(10).default(3),
  /** Wait before the first retry. @default 60 */
  backoffSeconds: z.number().int().min(1).default(60),
  /** Multiplier per retry; Argo requires an integer. @default 2 */
  backoffFactor: z
    .number()
    .min(1)
    .refine(Number.isInteger, 'must be a whole number: Argo Workflows backoff.factor is an integer (use 1, 2 or 3)')
    .default(2),
  /** Upper bound of one wait. @default 600 */
  maxBackoffSeconds: z.number().int().min(1).default(600),
});

const secretRef = omObject({ secret: dnsName(253), key: z.string().min(1) });

const toleration = omObject({
  key: z.string().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.number().int().optional(),
});

const labelMap = z.record(
  z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, 'is not a valid label key'),
  z
    .string()
    .max(63)
    .regex(/^(|[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/, 'is not a valid label value'),
);

/** Five-field cron (Argo v4 accepts only these), each field within its range (k8s-values.ts cronProblem). */
const cron = z.string().superRefine((text, ctx) => {
  const problem = cronProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** An image reference the container runtime can pull (k8s-values.ts imageReferenceProblem). */
const imageReference = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    const problem = imageReferenceProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const distributedExecutionSchema = omObject(
  {
    /** Run distributed (argo or local); off runs sequentially. @default false */
    enabled: z.boolean().default(false),
    /** Where shards run: `argo` (Kubernetes pods) or `local` (in-process). @default "argo" */
    orchestrator: z
      .enum(['argo', 'local'], { message: 'must be "argo" or "local" ("airflow" is not supported)' })
      .default('argo'),
    /** Maximum parallel worker pods (local: concurrent shards). @default 50 */
    parallelism: z.number().int().min(1).max(500).default(50),
    /** Entities per process() batch. @default 100 */
    chunkSize: z.number().int().min(1).max(10_000).default(100),
    /** Shards per parallel slot: K >= parallelism (given that many entities), up to parallelism x shardFactor and 1000; see docs/manifests.md. @default 2 */
    shardFactor: z.number().int().min(1).max(20).default(2),
    /** Kubernetes namespace. @default "default" */
    namespace: dnsName(63).default('default'),
    /** Pipeline name (resource names derive from it). @default source.serviceName, DNS-1123-ised */
    name: dnsName(45).optional(),
    /** ServiceAccount for workflow pods; created with least-privilege RBAC when omitted. @default "<name>-worker" */
    serviceAccount: dnsName(253).optional(),
    /** Worker image; it must contain the argo-ingest binary. @default "argo-ingest:0.1.0" */
    image: imageReference.default('argo-ingest:0.1.0'),
    imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).default('IfNotPresent'),
    imagePullSecrets: z.array(dnsName(253)).default([]),
    retryPolicy: retryPolicySchema.default({
      maxAttempts: 3,
      backoffSeconds: 60,
      backoffFactor: 2,
      maxBackoffSeconds: 600,
    }),
    resourceRequests: resources('500m', '1Gi'),
    resourceLimits: resources('1', '2Gi'),
    /** `run` waits for the Argo workflow to finish. @default false */
    waitForCompletion: z.boolean().default(false),
    /** Workflow deadline (activeDeadlineSeconds). @default 86400 */
    timeoutSeconds: z.number().int().min(60).default(86_400),
    /**
     * Where `${VAR}`s come from on Kubernetes. By default every variable is a key of one Secret named
     * `<name>-credentials`; `variables` maps a variable to another Secret and key.
     */
    secrets: omObject({
      name: dnsName(253).optional(),
      variables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), secretRef).default({}),
    }).default({ variables: {} }),
    /** Cron schedule: emits a CronWorkflow (daily incremental ingestion). */
    schedule: cron.optional(),
    /** IANA time zone of the schedule. @default "UTC" */
    timezone: z.string().default('UTC'),
    /** Whether a scheduled run may start while the last one runs. @default "Forbid" */
    concurrencyPolicy: z.enum(['Allow', 'Forbid', 'Replace']).default('Forbid'),
    /** Argo Workflows version of the cluster; gates fields (backoff.cap needs 3.7+). @default "3.7" */
    argoVersion: z
      .string()
      .regex(/^v?\d+\.\d+(\.\d+)?$/, 'must be a version such as "3.7" or "4.1.2"')
      .default('3.7'),
    /** Argo server URL, for UI links in `run`. */
    argoServerUrl: z.url().optional(),
    /** Extra labels on every object. */
    labels: labelMap.default({}),
    nodeSelector: z.record(z.string(), z.string()).default({}),
    tolerations: z.array(toleration).default([]),
    /** UID the worker runs as (restricted Pod Security Standard needs non-root). @default 1000 */
    runAsUser: z.number().int().min(1).default(1000),
    /** Also emit a Role + RoleBinding letting `submitter` create Workflows. */
    submitter: omObject({ serviceAccount: dnsName(253) }).optional(),
    /** finalize: skip mark-deleted when more than this fraction of known entities would be deleted. @default 0.75 */
    maxDeletedFraction: z.number().min(0).max(1).default(0.75),
    /**
     * finalize: a database or schema the filters include that could not be listed (connection refused,
     * no privilege) while OpenMetadata holds entities under it fails the run; true accepts such a partial
     * run (nothing under it is deleted either way). @default false
     */
    allowIncompleteListing: z.boolean().default(false),
  },
  { ignored: [] },
).superRefine((dist, ctx) => {
  // A container's limit below its request is refused (pkg/apis/core/validation
  // ValidateResourceRequirements: "must be less than or equal to <resource> limit").
  for (const resource of ['cpu', 'memory'] as const) {
    const request = parseQuantity(dist.resourceRequests[resource]);
    const limit = parseQuantity(dist.resourceLimits[resource]);
    if (request !== undefined && limit !== undefined && limit < request) {
      ctx.addIssue({
        code: 'custom',
        path: ['resourceLimits', resource],
        message: `must be at least resourceRequests.${resource} (${dist.resourceRequests[resource]}), not ${dist.resourceLimits[resource]}`,
      });
    }
  }
});

export type DistributedExecution = z.output<typeof distributedExecutionSchema>;
export type RetryPolicy = z.output<typeof retryPolicySchema>;

/** How a config runs: `sequential` when distributed execution is off, else on its orchestrator. */
export type ExecutionMode = 'sequential' | DistributedExecution['orchestrator'];

export function executionMode(dist: DistributedExecution): ExecutionMode {
  return dist.enabled ? dist.orchestrator : 'sequential';
}
