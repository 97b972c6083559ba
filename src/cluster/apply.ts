/**
 * Create-or-update of the pipeline's objects, idempotent like `kubectl apply`: GET each object; create
 * it when absent; replace it (with the stored resourceVersion) when its content differs; leave it alone
 * when it already matches. A concurrent writer (409) gets one fresh attempt.
 */
import { KubeHttpError } from './errors.js';
import type { KubeClient } from './kube-client.js';
import { collectionPath, objectPath } from './resources.js';

export type KubeObject = Record<string, unknown>;

export type ApplyAction = 'created' | 'updated' | 'unchanged';

export interface AppliedObject {
  readonly kind: string;
  readonly name: string;
  readonly action: ApplyAction;
}

/** Applies `objects` in order (what others refer to first); throws the first API error. */
export async function applyObjects(client: KubeClient, objects: readonly KubeObject[]): Promise<AppliedObject[]> {
  const applied: AppliedObject[] = [];
  for (const object of objects) applied.push(await applyOne(client, object));
  return applied;
}

async function applyOne(client: KubeClient, object: KubeObject, attempt = 1): Promise<AppliedObject> {
  const { apiVersion, kind, name, namespace } = identity(object);
  const path = objectPath(apiVersion, kind, namespace, name);
  try {
    const stored = await getIfExists(client, path);
    if (stored === undefined) {
      await client.request('POST', collectionPath(apiVersion, kind, namespace), object);
      return { kind, name, action: 'created' };
    }
    if (sameContent(stored, object)) return { kind, name, action: 'unchanged' };
    const resourceVersion = (stored.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
    const metadata = { ...(object.metadata as Record<string, unknown>), resourceVersion };
    await client.request('PUT', path, { ...object, metadata });
    return { kind, name, action: 'updated' };
  } catch (error) {
    // Someone created or changed it between our GET and write: read it again once.
    if (error instanceof KubeHttpError && error.status === 409 && attempt === 1) {
      return applyOne(client, object, attempt + 1);
    }
    throw error;
  }
}

/** The stored object, or undefined when the API server says this named object does not exist. */
export async function getIfExists(client: KubeClient, path: string): Promise<KubeObject | undefined> {
  try {
    return await client.request('GET', path);
  } catch (error) {
    // A 404 naming the object means "absent"; a 404 without a name (unknown resource type, missing
    // CRD) is a real error for the caller to explain.
    if (error instanceof KubeHttpError && error.status === 404 && error.objectName !== undefined) return undefined;
    throw error;
  }
}

function identity(object: KubeObject): { apiVersion: string; kind: string; name: string; namespace: string } {
  const metadata = (object.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  if (typeof metadata.name !== 'string' || typeof metadata.namespace !== 'string') {
    throw new Error(`object ${String(object.kind)} has no metadata.name / metadata.namespace`);
  }
  return {
    apiVersion: String(object.apiVersion),
    kind: String(object.kind),
    name: metadata.name,
    namespace: metadata.namespace,
  };
}

/**
 * Whether the stored object already says what we would write: the same content fields (data, spec,
 * rules, ...) and labels; annotations and metadata the server adds (uid, resourceVersion) are allowed.
 */
function sameContent(stored: KubeObject, wanted: KubeObject): boolean {
  const managed = new Set(['apiVersion', 'kind', 'metadata', 'status']);
  const keys = new Set([...Object.keys(stored), ...Object.keys(wanted)].filter((k) => !managed.has(k)));
  for (const key of keys) if (!deepEqual(stored[key], wanted[key])) return false;
  const storedMeta = (stored.metadata ?? {}) as Record<string, unknown>;
  const wantedMeta = (wanted.metadata ?? {}) as Record<string, unknown>;
  return (
    deepEqual(storedMeta.labels ?? {}, wantedMeta.labels ?? {}) &&
    contains(storedMeta.annotations ?? {}, wantedMeta.annotations ?? {})
  );
}

function deepEqual(a: unknown, b: unknown): boolean {
  return contains(a, b) && contains(b, a);
}

/** Whether `actual` holds every field of `wanted` with the same value (extra fields allowed). */
function contains(actual: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted)) {
    return Array.isArray(actual) && actual.length === wanted.length && wanted.every((w, i) => contains(actual[i], w));
  }
  if (wanted !== null && typeof wanted === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(wanted).every(([k, v]) => contains((actual as Record<string, unknown>)[k], v));
  }
  return actual === wanted;
}
