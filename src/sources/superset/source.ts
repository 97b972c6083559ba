import type { SourceFactory } from '../catalog.js';

/** Placeholder until the superset connector lands: fails clearly instead of pretending to ingest. */
export const createSource: SourceFactory = () => {
  throw new Error('the superset connector is not implemented yet');
};
