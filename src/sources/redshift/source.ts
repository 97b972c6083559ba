import type { SourceFactory } from '../catalog.js';

/** Placeholder until the redshift connector lands: fails clearly instead of pretending to ingest. */
export const createSource: SourceFactory = () => {
  throw new Error('the redshift connector is not implemented yet');
};
