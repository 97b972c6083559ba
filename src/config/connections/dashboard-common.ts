import { z } from 'zod';

/**
 * `maxConcurrentRequests`: an argo-ingest key every dashboard connection accepts (OpenMetadata has no
 * such key): requests in flight to the vendor per source. When omitted, the runtime's concurrency
 * (local mode: `parallelism`; an Argo worker pod: 1) applies.
 */
export const maxConcurrentRequests = z
  .number()
  .int()
  .min(1)
  .max(64, 'must be at most 64; vendors rate-limit far below that')
  .optional();

/** A secret that must not be empty once `${VAR}` is substituted. */
export const requiredSecret = z.string().min(1, 'must not be empty; set it to ${VAR} and export VAR');
