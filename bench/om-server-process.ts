/**
 * The OpenMetadata test server in a process of its own, for the benchmark: as in production, the
 * server's CPU (JSON parsing, schema validation of every body) is not charged to the worker process.
 * Started with `fork()` (IPC channel); the latency in ms is argv[2], the token argv[3], the version it
 * announces argv[4] (default 1.0.4; it chooses the schema set and whether PUT /tables/bulk exists).
 *
 * Messages: it sends `{ type: 'ready', url }` once listening. It answers `{ type: 'stats' }` with
 * `{ type: 'stats', tables, cpuSeconds, peakRssMb, requests, tableRequests }` (tables stored, CPU used,
 * PUT requests and table PUT requests, single or bulk, since the last `reset`)
 * and `{ type: 'reset' }` (forget every entity) with `{ type: 'reset' }`; it exits on `{ type: 'close' }`
 * or when the parent goes away.
 */
import { startOmServer } from '../test/support/om-server.js';
import { CREATE_SCHEMAS, createValidator, schemaSetFor } from '../test/support/om-schemas.js';
import type { EntityKind } from '../src/sources/contract.js';

interface Message {
  readonly type: 'stats' | 'reset' | 'close';
}

const latencyMs = Number(process.argv[2] ?? 0);
const token = process.argv[3] ?? 'bench-token';
const version = process.argv[4] ?? '1.0.4';
if (!process.send) throw new Error('om-server-process.ts must be started with fork() (it needs an IPC channel)');
const send = process.send.bind(process);

// Compile every validator now (once, about a second of CPU) rather than during the first measured run.
for (const kind of Object.keys(CREATE_SCHEMAS) as EntityKind[]) createValidator(kind, schemaSetFor(version));
const om = await startOmServer({ token, latencyMs, version });
let cpuAtReset = process.cpuUsage();

process.on('message', (message: Message) => {
  if (message.type === 'stats') {
    const cpu = process.cpuUsage(cpuAtReset);
    send({
      type: 'stats',
      tables: om.entities('table').size,
      requests: om.counters.puts,
      tableRequests: om.counters.tablePuts,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      // resourceUsage().maxRSS is in kilobytes.
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    });
  } else if (message.type === 'reset') {
    om.reset();
    cpuAtReset = process.cpuUsage();
    send({ type: 'reset' });
  } else if (message.type === 'close') {
    void om.close().then(() => process.exit(0));
  }
});
process.on('disconnect', () => void om.close().then(() => process.exit(0)));
send({ type: 'ready', url: om.url });
