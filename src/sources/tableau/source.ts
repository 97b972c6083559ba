import type { SourceFactory } from '../catalog.js';

/** Placeholder until the tableau connector lands: fails clearly instead of pretending to ingest. */
export const createSource: SourceFactory = () => {
  throw new Error('the tableau connector is not implemented yet');
};
