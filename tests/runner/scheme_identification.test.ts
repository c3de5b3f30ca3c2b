import { describe, expect, it } from 'vitest';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import type { CaseResult } from '../../conformance/runner/results.js';
import { identificationLines, matchingSchemes } from '../../conformance/runner/scheme_identification.js';
import type { VectorCase } from '../../conformance/vectors/vector_set.js';

/** A stand-in evaluator: scheme "b@1" rounds differently from "a@1" and "c@1". */
const evaluate = (request: WireRequest): WireResponse => ({
  id: request.id,
  outputs: { y: { dtype: 'qint8', shape: [1], values: [request.attrs?.scheme === 'b@1' ? 3 : 2] } },
});
const CASE: VectorCase = { id: 'op-00000', op: 'op@1', attrs: { scheme: 'a@1' }, inputs: {}, expect: { outputs: { y: { dtype: 'qint8', shape: [1], values: [2] } } } };
const got = (v: number): WireResponse => ({ id: CASE.id, outputs: { y: { dtype: 'qint8', shape: [1], values: [v] } } });

describe('scheme identification', () => {
  it('names the other schemes under which the reference gives the backend outputs', () => {
    expect(matchingSchemes(CASE, got(3), ['a@1', 'b@1', 'c@1'], evaluate)).toEqual(['b@1']);
    expect(matchingSchemes(CASE, got(7), ['a@1', 'b@1', 'c@1'], evaluate)).toEqual([]);
  });

  it('summarises, per failing scheme, the scheme that explains most failures', () => {
    const result = (matches: string[]): CaseResult => ({ id: 'x', op: 'op@1', scheme: 'a@1', verdict: 'fail', matchesSchemes: matches, location: 'f:1', ms: 0 });
    expect(identificationLines([result(['b@1']), result(['b@1', 'c@1']), result([])])).toEqual(['scheme a@1: 3 failing cases; the backend matches b@1 on 2 of them']);
    expect(identificationLines([result([])])).toEqual(['scheme a@1: 1 failing cases; no other known scheme or accumulator matches them']);
  });
});
