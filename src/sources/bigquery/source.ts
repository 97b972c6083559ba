import type { SourceFactory } from '../catalog.js';

/** Placeholder until the bigquery connector lands: fails clearly instead of pretending to ingest. */
export const createSource: SourceFactory = () => {
  throw new Error('the bigquery connector is not implemented yet');
};
