import type { NotIngested } from '../../src/runtime/worker-contract.js';

/** The worst names can be for discover's not-ingested parameter: long, quotes, backslashes, 4-byte characters, controls. */
export function worstNotIngested(): NotIngested {
  const name = `svc.db."sch\\ema".${'"\\\u0001😀{{x}}'.repeat(80)}`;
  return {
    count: 123_456_789,
    listed: Array.from({ length: 20 }, () => ({ fqn: name, problem: `contains "::" ${'\\"😀'.repeat(60)}` })),
  };
}
