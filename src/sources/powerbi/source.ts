import type { SourceFactory } from '../catalog.js';

/** Placeholder until the powerbi connector lands: fails clearly instead of pretending to ingest. */
export const createSource: SourceFactory = () => {
  throw new Error('the powerbi connector is not implemented yet');
};
