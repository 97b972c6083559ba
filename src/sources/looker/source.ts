import type { SourceFactory } from '../catalog.js';

/** Placeholder until the looker connector lands: fails clearly instead of pretending to ingest. */
export const createSource: SourceFactory = () => {
  throw new Error('the looker connector is not implemented yet');
};
