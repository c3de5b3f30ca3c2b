/**
 * Scheme identification: when a backend fails cases of the scheme it claims, which other known arithmetic
 * (if any) does it compute? Each failing case with a `scheme` attribute is re-evaluated by the exact
 * reference under every other scheme seen in the run and, when the case also names an `accumulator` (conv),
 * under every scheme × accumulator model of contract/conv.ts; the combinations whose outputs equal the
 * backend's are recorded on the result (`scheme`, or `scheme × accumulator` for cases with an accumulator),
 * and the summary names the one that explains the most failures.
 */
import { ACCUMULATORS } from '../../contract/conv.js';
import { reference } from '../../reference/index.js';
import { evaluateRequest } from '../protocol/dispatch.js';
import { type WireRequest, type WireResponse } from '../protocol/messages.js';
import type { VectorCase } from '../vectors/vector_set.js';
import { outputDifference } from './output_diff.js';
import { type CaseResult, groupResults } from './results.js';

export type Evaluate = (request: WireRequest) => WireResponse;

const byReference: Evaluate = (request) => evaluateRequest(reference, request);

/** How an identified combination is named: `onnxruntime@1 × sat16_pairs_im2col`. */
export function schemeAccumulatorLabel(scheme: string, accumulator: string): string {
  return `${scheme} × ${accumulator}`;
}

/**
 * The candidate schemes (× accumulators, when the case names one) under which the reference gives exactly the
 * backend's outputs; the claimed combination itself is skipped.
 */
export function matchingSchemes(c: VectorCase, got: WireResponse, candidates: readonly string[], evaluate: Evaluate = byReference): string[] {
  const claimed = c.attrs.scheme;
  if ('error' in got || typeof claimed !== 'string') return [];
  const claimedAccumulator = c.attrs.accumulator;
  const accumulators: readonly (string | null)[] = typeof claimedAccumulator === 'string' ? ACCUMULATORS : [null];
  const matches: string[] = [];
  for (const scheme of candidates) {
    for (const accumulator of accumulators) {
      if (scheme === claimed && (accumulator === null || accumulator === claimedAccumulator)) continue;
      const attrs = accumulator === null ? { ...c.attrs, scheme } : { ...c.attrs, scheme, accumulator };
      const alt = evaluate({ id: c.id, op: c.op, attrs, inputs: c.inputs });
      if ('outputs' in alt && outputDifference(c, alt.outputs, got.outputs) === null) {
        matches.push(accumulator === null ? scheme : schemeAccumulatorLabel(scheme, accumulator));
      }
    }
  }
  return matches;
}

/** One line per failing scheme: the other scheme (× accumulator) that matches most of its failures, if any. */
export function identificationLines(results: readonly CaseResult[]): string[] {
  const failing = results.filter((r) => r.verdict === 'fail' && r.matchesSchemes !== undefined);
  return [...groupResults(failing, (r) => r.scheme)].map(([scheme, rs]) => {
    const tally = new Map<string, number>();
    for (const r of rs) for (const s of r.matchesSchemes ?? []) tally.set(s, (tally.get(s) ?? 0) + 1);
    const best = [...tally].sort((a, b) => b[1] - a[1])[0];
    return best
      ? `scheme ${scheme}: ${rs.length} failing cases; the backend matches ${best[0]} on ${best[1]} of them`
      : `scheme ${scheme}: ${rs.length} failing cases; no other known scheme or accumulator matches them`;
  });
}
