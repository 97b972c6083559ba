/** Moved to src/util/logger.ts; kept for the sequential-fallback path until that is removed. */
export { silentLogger } from '../util/logger.js';
