/**
 * Whether a config's source can run distributed. The source is built from the config as loaded (its
 * `${VAR}`s not substituted: the secrets may live only in the cluster) and never connected: a source
 * declares `discoverable: false` by its shape alone.
 */
import type { LoadedConfig } from '../config/load.js';
import { silentLogger } from '../runtime/logger.js';
import { createSource as catalogCreateSource } from '../sources/registry.js';
import { isDiscoverable, type Source, type SourceOptions } from '../sources/contract.js';
import type { IngestionConfig } from '../config/schema.js';

export type CreateSource = (config: IngestionConfig, options: SourceOptions) => Promise<Source>;

export async function supportsDistributed(
  loaded: LoadedConfig,
  createSource: CreateSource = catalogCreateSource,
): Promise<boolean> {
  let source: Source;
  try {
    source = await createSource(loaded.config, { logger: silentLogger, concurrency: 1 });
  } catch {
    // A connector that cannot even be built without its secrets is a DiscoverableSource-shaped
    // connector of the catalog; the worker pods will report connection problems themselves.
    return true;
  }
  try {
    return isDiscoverable(source);
  } finally {
    await source.close().catch(() => undefined);
  }
}
