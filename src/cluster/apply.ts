/**
 * Server-side apply of the pipeline's objects, as `kubectl apply --server-side --field-manager=argo-ingest
 * --force-conflicts`: one `PATCH` per object with `Content-Type: application/apply-patch+yaml` (JSON is
 * YAML), `fieldManager=argo-ingest` and `force=true`. The API server merges the fields we send into the
 * stored object and records us as their manager (metadata.managedFields); fields owned by other managers
 * (a controller's annotation, a GitOps tool's label) are left alone, and fields we applied before but
 * no longer send are removed (k8s.io/apimachinery pkg/util/managedfields, sigs.k8s.io/structured-merge-diff
 * merge.Updater.Apply). `force` only takes over the fields we send, never others.
 */
import type { KubeClient } from './kube-client.js';
import { KubeHttpError } from './errors.js';
import { objectPath } from './resources.js';

export type KubeObject = Record<string, unknown>;

/** `created` when the API server answered 201, `applied` (configured or unchanged) on 200. */
export type ApplyAction = 'created' | 'applied';

export interface AppliedObject {
  readonly kind: string;
  readonly name: string;
  readonly action: ApplyAction;
}

export const FIELD_MANAGER = 'argo-ingest';
export const APPLY_PATCH = 'application/apply-patch+yaml';

/** Applies `objects` in order (what others refer to first); throws the first API error. */
export async function applyObjects(client: KubeClient, objects: readonly KubeObject[]): Promise<AppliedObject[]> {
  const applied: AppliedObject[] = [];
  for (const object of objects) {
    const { apiVersion, kind, name, namespace } = identity(object);
    const answer = await client.exchange('PATCH', objectPath(apiVersion, kind, namespace, name), object, {
      contentType: APPLY_PATCH,
      query: { fieldManager: FIELD_MANAGER, force: 'true' },
    });
    applied.push({ kind, name, action: answer.status === 201 ? 'created' : 'applied' });
  }
  return applied;
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
 * The first differences between the template in the cluster and the one this config synthesizes
 * (`spec` and labels; fields the API server or others add are allowed), as dotted paths.
 */
export function drift(stored: KubeObject, wanted: KubeObject, max = 5): string[] {
  const out: string[] = [];
  const walk = (actual: unknown, want: unknown, path: string) => {
    if (out.length >= max) return;
    if (Array.isArray(want)) {
      if (!Array.isArray(actual) || actual.length !== want.length) {
        out.push(path);
        return;
      }
      want.forEach((w, i) => walk(actual[i], w, `${path}[${i}]`));
      return;
    }
    if (want !== null && typeof want === 'object') {
      if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
        out.push(path);
        return;
      }
      for (const [k, v] of Object.entries(want))
        walk((actual as Record<string, unknown>)[k], v, path ? `${path}.${k}` : k);
      return;
    }
    if (actual !== want) out.push(path);
  };
  walk(stored.spec, wanted.spec, 'spec');
  walk(
    (stored.metadata as { labels?: unknown } | undefined)?.labels ?? {},
    (wanted.metadata as { labels?: unknown } | undefined)?.labels ?? {},
    'metadata.labels',
  );
  return out;
}
