import type { SourceFactory } from '../catalog.js';

/** Placeholder until the oracle connector lands: fails clearly instead of pretending to ingest. */
export const createSource: SourceFactory = () => {
  throw new Error('the oracle connector is not implemented yet');
};
