import type { SourceFactory } from '../catalog.js';

/** Placeholder until the mysql connector lands: fails clearly instead of pretending to ingest. */
export const createSource: SourceFactory = () => {
  throw new Error('the mysql connector is not implemented yet');
};
