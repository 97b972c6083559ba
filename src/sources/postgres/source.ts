import type { SourceFactory } from '../catalog.js';

/** Placeholder until the postgres connector lands: fails clearly instead of pretending to ingest. */
export const createSource: SourceFactory = () => {
  throw new Error('the postgres connector is not implemented yet');
};
