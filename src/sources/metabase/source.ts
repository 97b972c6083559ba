import type { SourceFactory } from '../catalog.js';

/** Placeholder until the metabase connector lands: fails clearly instead of pretending to ingest. */
export const createSource: SourceFactory = () => {
  throw new Error('the metabase connector is not implemented yet');
};
