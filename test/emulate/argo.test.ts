/**
 * The controller rules the emulator applies (src/emulate/argo.ts), each against what the Go source at
 * v3.6.19 / v3.7.18 / v4.0.10 / v4.1.2 does in the case that matters to the template.
 */
import { describe, expect, it } from 'vitest';
import {
  UnresolvedVariableError,
  aggregateOutputs,
  continues,
  expandSequence,
  goJson,
  initLessLayout,
  retries,
  strictStepReferences,
  substitute,
} from '../../src/emulate/argo.js';

describe('Argo rules', () => {
  it('continues past Failed only with failed: true and past Error only with error: true (continues())', () => {
    expect(continues({ failed: true }, 'Failed')).toBe(true);
    expect(continues({ failed: true }, 'Error')).toBe(false);
    expect(continues({ failed: true, error: true }, 'Error')).toBe(true);
    expect(continues(undefined, 'Failed')).toBe(false);
  });

  it('aggregates only Succeeded children; .parameters is [] with none, .parameters.<name> is then unset', () => {
    const ok = { phase: 'Succeeded' as const, outputs: new Map([['result', 's=0/2 n=1']]) };
    const failed = { phase: 'Failed' as const, outputs: new Map([['result', 'partial']]) };
    const some = aggregateOutputs('steps.process', [ok, failed], '4.1.2');
    expect(some.get('steps.process.outputs.parameters')).toBe('[{"result":"s=0/2 n=1"}]');
    expect(some.get('steps.process.outputs.parameters.result')).toBe('["s=0/2 n=1"]');
    const none = aggregateOutputs('steps.process', [failed, { phase: 'Error' as const }], '4.1.2');
    expect(none.get('steps.process.outputs.parameters')).toBe('[]');
    expect(none.has('steps.process.outputs.parameters.result')).toBe(false);
    // From v3.7 a list of JSON objects is embedded as JSON; v3.6 keeps strings.
    const json = { phase: 'Succeeded' as const, outputs: new Map([['result', '{"a":1}']]) };
    expect(aggregateOutputs('s', [json], '3.7.18').get('s.outputs.parameters.result')).toBe('[{"a":1}]');
    expect(aggregateOutputs('s', [json], '3.6.19').get('s.outputs.parameters.result')).toBe('["{\\"a\\":1}"]');
  });

  it('requeues on an unresolved steps.* tag from v3.7.11 and v4.0.2, and passes it on literally before', () => {
    const scope = new Map([['steps.discover.outputs.parameters.shards', '3']]);
    expect(substitute('"{{steps.discover.outputs.parameters.shards}}"', scope, true)).toBe('"3"');
    expect(() => substitute('"{{steps.process.outputs.parameters.result}}"', scope, true)).toThrow(
      UnresolvedVariableError,
    );
    expect(substitute('"{{item}}"', scope, true)).toBe('"{{item}}"');
    expect(strictStepReferences('3.7.10')).toBe(false);
    expect(strictStepReferences('3.7.11')).toBe(true);
    expect(strictStepReferences('4.0.1')).toBe(false);
    expect(strictStepReferences('4.0.2')).toBe(true);
    expect(strictStepReferences('3.6.19')).toBe(false);
  });

  it('escapes substituted values as strconv.Quote does, and marshals like Go (sorted keys, HTML-safe)', () => {
    expect(substitute('"{{x}}"', new Map([['x', '[{"result":"a"}]']]), false)).toBe('"[{\\"result\\":\\"a\\"}]"');
    expect(goJson({ b: '<&>', a: 1 })).toBe('{"a":1,"b":"\\u003c\\u0026\\u003e"}');
  });

  it('expands withSequence count and start/end', () => {
    expect(expandSequence({ count: '3' })).toEqual(['0', '1', '2']);
    expect(expandSequence({ start: '2', end: '4' })).toEqual(['2', '3', '4']);
    expect(expandSequence({ count: 0 })).toEqual([]);
    expect(() => expandSequence({ count: '{{steps.x}}' })).toThrow(/not an integer/);
  });

  it('retries by retryPolicy, and knows the init-less layout from 4.1', () => {
    expect(retries('Always', 'Error')).toBe(true);
    expect(retries(undefined, 'Error')).toBe(false);
    expect(retries('OnError', 'Failed')).toBe(false);
    expect(initLessLayout('4.1.2')).toBe(true);
    expect(initLessLayout('4.0.10')).toBe(false);
  });
});
