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
const quantity = z
  .string()
  .meta({ typeText: 'Kubernetes quantity' })
  .superRefine((text, ctx) => {
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

const resources = (cpu: string, memory: string, what: 'request' | 'limit') =>
  omObject({
    cpu: quantity.default(cpu).meta({ description: `CPU ${what} of every container.` }),
    memory: quantity.default(memory).meta({ description: `Memory ${what} of every container.` }),
  }).default({ cpu, memory });

export const retryPolicySchema = omObject({
  maxAttempts: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(3)
    .meta({
      description:
        'Tries per entity and per pod (Argo `limit` = maxAttempts - 1); ' +
        "an entity's writes get maxAttempts² - 1 retries in all (docs/runtime.md).",
    }),
  backoffSeconds: z
    .number()
    .int()
    .min(1)
    .default(60)
    .meta({ description: 'Wait before the first retry; Argo `backoff.duration`.' }),
  backoffFactor: z
    .number()
    .min(1)
    .refine(Number.isInteger, 'must be a whole number: Argo Workflows backoff.factor is an integer (use 1, 2 or 3)')
    .default(2)
    .meta({ description: 'Multiplier per retry; a whole number (Argo requires an integer).' }),
  maxBackoffSeconds: z
    .number()
    .int()
    .min(1)
    .default(600)
    .meta({ description: 'Longest wait; Argo `backoff.cap` (Argo 3.7+).' }),
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
const cron = z
  .string()
  .meta({ typeText: '5-field cron' })
  .superRefine((text, ctx) => {
    const problem = cronProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** An image reference the container runtime can pull (k8s-values.ts imageReferenceProblem). */
const imageReference = z
  .string()
  .min(1)
  .meta({ typeText: 'image reference' })
  .superRefine((text, ctx) => {
    const problem = imageReferenceProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const distributedExecutionSchema = omObject(
  {
    enabled: z
      .boolean()
      .default(false)
      .meta({ description: 'Distributed (argo or local) execution; off runs sequentially.' }),
    orchestrator: z
      .enum(['argo', 'local'], { message: 'must be "argo" or "local" ("airflow" is not supported)' })
      .default('argo')
      .meta({ description: '`argo` (Kubernetes pods) or `local` (shards in this process).' }),
    parallelism: z.number().int().min(1).max(500).default(50).meta({
      description: 'Pods at once (local: shards at once). Also on the fan-out template and `spec.parallelism`.',
    }),
    chunkSize: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(100)
      .meta({ description: 'Entities per batch inside a shard (not the shard count).' }),
    shardFactor: z
      .number()
      .int()
      .min(1)
      .max(20)
      .default(2)
      .meta({
        description:
          'Shards per parallel slot: K is at least `parallelism` (given as many entities), at most ' +
          '`parallelism x shardFactor` and 1,000 (docs/manifests.md).',
      }),
    namespace: dnsName(63).default('default').meta({ description: 'Kubernetes namespace of every object.' }),
    name: dnsName(45).optional().meta({
      description: 'Pipeline name; every resource name derives from it (`warehouse_pg` -> `warehouse-pg`).',
      defaultText: 'from `source.serviceName`',
    }),
    serviceAccount: dnsName(253)
      .optional()
      .meta({
        description:
          'An existing ServiceAccount for the pods (then only bound, not created); when omitted, one is ' +
          'created with least-privilege RBAC.',
        defaultText: '`<name>-worker`, created',
      }),
    image: imageReference
      .default('argo-ingest:0.1.0')
      .meta({ description: 'Worker image; it must contain `argo-ingest` (the `Dockerfile`).' }),
    imagePullPolicy: z
      .enum(['Always', 'IfNotPresent', 'Never'])
      .default('IfNotPresent')
      .meta({ description: 'As in a pod spec.' }),
    imagePullSecrets: z
      .array(dnsName(253))
      .default([])
      .meta({ description: 'As in a pod spec: the Secrets for pulling the image.' }),
    retryPolicy: retryPolicySchema.default({
      maxAttempts: 3,
      backoffSeconds: 60,
      backoffFactor: 2,
      maxBackoffSeconds: 600,
    }),
    resourceRequests: resources('500m', '1Gi', 'request'),
    resourceLimits: resources('1', '2Gi', 'limit'),
    waitForCompletion: z
      .boolean()
      .default(false)
      .meta({ description: '`run` waits for the Workflow (`--wait` / `--no-wait` override).' }),
    timeoutSeconds: z
      .number()
      .int()
      .min(60)
      .default(86_400)
      .meta({ description: "The Workflow's `activeDeadlineSeconds`; also how long `run` waits." }),
    /** Where `${VAR}`s come from on Kubernetes. */
    secrets: omObject({
      name: dnsName(253).optional().meta({
        description: 'The Secret holding every `${VAR}` (mounted with `envFrom`).',
        defaultText: '`<name>-credentials`',
      }),
      variables: z
        .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), secretRef)
        .default({})
        .meta({ description: '`VAR: {secret, key}` takes one variable from another Secret and key.' }),
    }).default({ variables: {} }),
    schedule: cron.optional().meta({
      description: 'Also emits a CronWorkflow running the pipeline on this schedule (each run is a full scan).',
    }),
    timezone: z.string().default('UTC').meta({ description: 'IANA time zone of the schedule.' }),
    concurrencyPolicy: z
      .enum(['Allow', 'Forbid', 'Replace'])
      .default('Forbid')
      .meta({ description: 'Whether a scheduled run may start while the last one runs.' }),
    argoVersion: z
      .string()
      .regex(/^v?\d+\.\d+(\.\d+)?$/, 'must be a version such as "3.7" or "4.1.2"')
      .default('3.7')
      .meta({ description: "The cluster's Argo Workflows version; gates `backoff.cap` (3.7+).", typeText: 'version' }),
    argoServerUrl: z.url().optional().meta({ description: 'Argo UI base URL, for links printed by `run`.' }),
    labels: labelMap.default({}).meta({ description: 'Added to every object.' }),
    nodeSelector: z.record(z.string(), z.string()).default({}).meta({ description: 'Added to every pod.' }),
    tolerations: z.array(toleration).default([]).meta({ description: 'Added to every pod.' }),
    runAsUser: z
      .number()
      .int()
      .min(1)
      .default(1000)
      .meta({ description: 'Non-root UID of the pods (restricted Pod Security Standard).' }),
    submitter: omObject({
      serviceAccount: dnsName(253).meta({
        description: 'Also emit a Role letting this identity submit Workflows of the pipeline.',
      }),
    }).optional(),
    maxDeletedFraction: z
      .number()
      .min(0)
      .max(1)
      .default(0.75)
      .meta({ description: 'Mark-deleted is skipped when it would delete more than this fraction.' }),
    allowIncompleteListing: z
      .boolean()
      .default(false)
      .meta({
        description:
          'Accept a run that could not list a database or schema its filters include while OpenMetadata ' +
          'holds entities of it (nothing of it is deleted either way; see docs/runtime.md).',
      }),
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
