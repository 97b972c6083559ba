import type { SourceFactory } from '../catalog.js';

/** Placeholder until the snowflake connector lands: fails clearly instead of pretending to ingest. */
export const createSource: SourceFactory = () => {
  throw new Error('the snowflake connector is not implemented yet');
};
