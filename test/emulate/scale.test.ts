/**
 * Scale proof without a cluster: the template synthesized for K = 1,000 shards, run by the emulator with
 * stand-in pods (a shell command per pod) that write the worst-case result line the worker can write.
 * The emulator builds finalize's ARGO_TEMPLATE as the controller does (inputs substituted,
 * inputs.parameters dropped) and refuses the pod over 131,072 bytes; the Workflow status is estimated
 * from Argo's NodeStatus fields and must stay under 1 MiB once the controller compresses its nodes
 * (workflow/packer/packer.go, CompressWorkflowIfNeeded).
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { emulate, type PodRecord, type WorkflowTemplate } from '../../src/emulate/emulator.js';
import { MAX_ENV_VAR_LEN } from '../../src/emulate/argo.js';
import { pipelineManifests } from '../../src/emulate/pipeline.js';
import { MAX_SHARDS, chooseShardCount } from '../../src/runtime/shards.js';
import {
  OUTPUT_FILES,
  RESULT_MAX_BYTES,
  decodeShardResult,
  encodeShardResult,
  type ShardResult,
  encodeNotIngested,
} from '../../src/runtime/worker-contract.js';
import { baseConfig, loadObject } from '../manifests/fixtures.js';
import { worstNotIngested } from '../support/not-ingested.js';

const ENTITIES = 9_999_999;

/** The longest line a shard can write: 7-digit counts, a 10-digit duration, a failure full of escapes. */
function worstResult(shard: number): ShardResult {
  return {
    shard,
    shards: MAX_SHARDS,
    entities: ENTITIES,
    succeeded: 0,
    failed: ENTITIES,
    created: 9_999_999,
    updated: 9_999_999,
    durationMs: 9_999_999_999,
    failures: [{ fqn: 'db."sch\\ema".<tbl>&\u00e9', error: `"\\<&>\u2028{{x}}\n`.repeat(40) }],
  };
}

// A stand-in for `argo-ingest worker ...`: discover writes K and N, process writes the worst-case line
// of its shard, finalize succeeds. Arguments are the template's own ($2 = the step).
const STAND_IN = `
out=""; shard=""; prev=""
for a in "$@"; do
  [ "$prev" = "--output-dir" ] && out="$a"
  [ "$prev" = "--shard" ] && shard="$a"
  prev="$a"
done
case "$2" in
  discover) printf '%s' "$K" > "$out/shards"; printf '%s' "$N" > "$out/entities"; printf '%s' "$NI" > "$out/not-ingested" ;;
  process) printf '%s' "$LINE" | sed "s|^s=999/|s=$shard/|" > "$out/result" ;;
  finalize) : ;;
esac
`;

describe('1,000 shards', () => {
  it('synthesizes a template whose finalize pod fits ARGO_TEMPLATE with worst-case results from every shard', async () => {
    const loaded = loadObject(baseConfig({ parallelism: 500, shardFactor: 2 }));
    const dist = loaded.config.workflowConfig.distributedExecution;
    expect(chooseShardCount(ENTITIES, dist)).toBe(MAX_SHARDS);
    const line = encodeShardResult(worstResult(999));
    expect(line.length).toBeLessThanOrEqual(RESULT_MAX_BYTES);
    expect(line).toMatch(/^[\x20-\x7e]+$/);
    expect(line).not.toMatch(/["\\<>&{}]/);
    expect(decodeShardResult(line)).toMatchObject({ shard: 999, shards: 1000, failed: ENTITIES });

    const { workflow, configMaps } = pipelineManifests(loaded);
    const result = await emulate({
      workflow,
      configMaps,
      secrets: {
        'warehouse-pg-credentials': { PG_HOST_PORT: 'h:5432', PG_USER: 'u', PG_PASSWORD: 'p', OM_JWT_TOKEN: 't' },
      },
      commands: { 'argo-ingest': ['sh', '-c', STAND_IN, 'argo-ingest'] },
      baseEnv: { K: String(MAX_SHARDS), N: String(ENTITIES), LINE: line, NI: encodeNotIngested(worstNotIngested()) },
      maxPods: 6,
    });
    const finalize = result.pods.find((p) => p.step === 'finalize');
    expect(result.pods.filter((p) => p.step === 'process' && p.phase === 'Succeeded')).toHaveLength(MAX_SHARDS);
    expect(finalize, result.message).toBeDefined();
    expect(finalize!.phase, finalize!.message).toBe('Succeeded');
    expect(finalize!.argoTemplateBytes).toBeLessThan(MAX_ENV_VAR_LEN);
    console.log(`finalize ARGO_TEMPLATE at K = 1,000, worst case: ${finalize!.argoTemplateBytes} bytes`);

    const status = estimatedStatus(workflow, result.pods);
    const compressed = Buffer.from(gzipSync(status.nodes)).toString('base64').length;
    console.log(
      `Workflow status at K = 1,000, worst case: nodes ${status.nodes.length} bytes uncompressed, ` +
        `${compressed} gzip+base64; whole Workflow ${status.other + status.nodes.length} / ${status.other + compressed}`,
    );
    // Argo compresses status.nodes once the Workflow exceeds 1 MiB; it must then fit.
    expect(status.other + compressed).toBeLessThan(1024 * 1024);
  }, 300_000);
});

/**
 * The Workflow object as the controller stores it: spec (the template, stored once), and one NodeStatus
 * per node: the steps node, step groups, a Retry node per shard with its Pod node(s), discover and
 * finalize. Fields and their sizes follow NodeStatus (pkg/apis/workflow/v1alpha1/workflow_types.go).
 */
function estimatedStatus(workflow: WorkflowTemplate, pods: readonly PodRecord[]): { nodes: string; other: number } {
  const wf = 'warehouse-pg-x7k2p';
  const nodes: Record<string, unknown> = {};
  let next = 1_000_000_000;
  const node = (name: string, type: string, extra: Record<string, unknown> = {}) => {
    const id = `${wf}-${next++}`;
    nodes[id] = {
      id,
      name: `${wf}${name}`,
      displayName: name.split('.').pop(),
      type,
      templateName: type === 'Pod' ? 'process-shard' : 'ingest',
      templateScope: `local/${wf}`,
      phase: 'Succeeded',
      boundaryID: `${wf}`,
      startedAt: '2026-11-30T15:00:00Z',
      finishedAt: '2026-11-30T15:10:00Z',
      progress: '9999999/9999999',
      resourcesDuration: { cpu: 600, memory: 1200 },
      children: [`${wf}-${next}`],
      ...extra,
    };
    return id;
  };
  node('', 'Steps');
  for (const pod of pods) {
    const outputs = [...pod.outputs].map(([name, value]) => ({
      name,
      value,
      valueFrom: { path: pod.step === 'process' ? OUTPUT_FILES.result : OUTPUT_FILES.shards },
    }));
    const io = {
      inputs:
        pod.step === 'process'
          ? {
              parameters: [
                { name: 'shard', value: String(pod.index) },
                { name: 'shards', value: '1000' },
              ],
            }
          : undefined,
      outputs: { parameters: outputs, exitCode: '0' },
    };
    // The Retry node copies its last child's outputs.
    node(
      `[1].${pod.name
        .split('.')
        .pop()!
        .replace(/\(\d+\)$/, '')}`,
      'Retry',
      io,
    );
    node(`[1].${pod.name.split('.').pop()}`, 'Pod', {
      ...io,
      hostNodeName: 'ip-10-0-123-45.eu-west-1.compute.internal',
      podIP: '10.0.123.45',
    });
  }
  // finalize's node keeps its inputs, the results artifact included, once.
  const finalize = pods.find((p) => p.step === 'finalize');
  node('[2].finalize', 'Pod', {
    inputs: {
      artifacts: [
        {
          name: 'results',
          path: '/tmp/argo-ingest/results.json',
          raw: { data: 'x'.repeat(finalize?.argoTemplateBytes ?? 0) },
        },
      ],
    },
  });
  const other = JSON.stringify({
    metadata: { name: wf },
    spec: {},
    status: { storedWorkflowTemplateSpec: workflow.spec },
  }).length;
  return { nodes: JSON.stringify(nodes), other };
}
