/**
 * Scheme identification: when a backend fails cases of the scheme it claims, which other known scheme
 * (if any) does it compute? Each failing case with a `scheme` attribute is re-evaluated by the exact
 * reference under every other scheme seen in the run; the schemes whose outputs equal the backend's
 * are recorded on the result, and the summary names the scheme that explains the most failures.
 */
import { reference } from '../../reference/index.js';
import { evaluateRequest } from '../protocol/dispatch.js';
import { type WireRequest, type WireResponse } from '../protocol/messages.js';
import type { VectorCase } from '../vectors/vector_set.js';
import { outputDifference } from './output_diff.js';
import { type CaseResult, groupResults } from './results.js';

export type Evaluate = (request: WireRequest) => WireResponse;

const byReference: Evaluate = (request) => evaluateRequest(reference, request);

/** The candidate schemes under which the reference gives exactly the backend's outputs. */
export function matchingSchemes(c: VectorCase, got: WireResponse, candidates: readonly string[], evaluate: Evaluate = byReference): string[] {
  const claimed = c.attrs.scheme;
  if ('error' in got || typeof claimed !== 'string') return [];
  return candidates.filter((scheme) => {
    if (scheme === claimed) return false;
    const alt = evaluate({ id: c.id, op: c.op, attrs: { ...c.attrs, scheme }, inputs: c.inputs });
    return 'outputs' in alt && outputDifference(c, alt.outputs, got.outputs) === null;
  });
}

/** One line per failing scheme: the other scheme that matches most of its failures, if any. */
export function identificationLines(results: readonly CaseResult[]): string[] {
  const failing = results.filter((r) => r.verdict === 'fail' && r.matchesSchemes !== undefined);
  return [...groupResults(failing, (r) => r.scheme)].map(([scheme, rs]) => {
    const tally = new Map<string, number>();
    for (const r of rs) for (const s of r.matchesSchemes ?? []) tally.set(s, (tally.get(s) ?? 0) + 1);
    const best = [...tally].sort((a, b) => b[1] - a[1])[0];
    return best
      ? `scheme ${scheme}: ${rs.length} failing cases; the backend matches ${best[0]} on ${best[1]} of them`
      : `scheme ${scheme}: ${rs.length} failing cases; no other known scheme matches them`;
  });
}
