import type { SourceFactory } from '../catalog.js';

/** Placeholder until the mssql connector lands: fails clearly instead of pretending to ingest. */
export const createSource: SourceFactory = () => {
  throw new Error('the mssql connector is not implemented yet');
};
