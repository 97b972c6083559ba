import { describe, expect, it } from 'vitest';
import { CONNECTIONS } from '../../src/config/connections/index.js';
import { CONNECTORS, findConnector } from '../../src/sources/registry.js';
import { silentLogger } from '../../src/util/logger.js';
import { databaseConfig } from '../support/sql-source-helpers.js';

const connection = { hostPort: 'localhost:5432', username: 'u', database: 'db' };

describe('connector registry', () => {
  it('has one entry per connection schema, with its service type and kind', () => {
    expect(CONNECTORS.map((c) => c.sourceType)).toEqual(Object.keys(CONNECTIONS));
    for (const c of CONNECTORS) {
      expect(c.connectionSchema).toBe(CONNECTIONS[c.sourceType].connectionSchema);
      expect(c.serviceType).toBe(CONNECTIONS[c.sourceType].serviceType);
    }
    expect(findConnector('PostGres')?.kind).toBe('database');
  });

  it("builds a source from the config's source section, and refuses another connector's", async () => {
    const { source, workflowConfig } = databaseConfig('postgres', connection);
    const context = {
      logger: silentLogger,
      concurrency: 1,
      retryPolicy: workflowConfig.distributedExecution.retryPolicy,
    };
    const built = await findConnector('postgres')!.create(source, context);
    expect(built.type).toBe('postgres');
    await built.close();
    await expect(findConnector('redshift')!.create(source, context)).rejects.toThrow(
      'the redshift connector was given a postgres source',
    );
  });
});
