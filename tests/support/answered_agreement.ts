/**
 * The agreement property of the ONNX ops' tests: over wire requests, the exact reference and the fast impl give the
 * same bytes or the same typed error; refusals and answers are counted, and each answered request is handed on for
 * the test's own non-vacuity counters.
 */
import fc from 'fast-check';
import type { CaseFactory } from '../../conformance/cases/builders.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { checkProperty } from './property.js';

const identity = (r: WireResponse) => JSON.stringify('error' in r ? r.error.code : r.outputs);

/** The reference's response to `request`, after checking that the impl's is the same (outputs, or error code). */
export function agree(request: WireRequest): WireResponse {
  const [ref, imp] = [evaluateRequest(reference, request), evaluateRequest(impl, request)];
  if (identity(ref) !== identity(imp)) throw new Error(`reference ${JSON.stringify(ref).slice(0, 300)}\nimpl ${JSON.stringify(imp).slice(0, 300)}`);
  return ref;
}

/** A case generator's requests as an arbitrary: fast-check draws the seed, the case is `factory`'s at `${seedPrefix}/${seed}`. */
export function caseRequests(seedPrefix: string, factory: CaseFactory): fc.Arbitrary<WireRequest> {
  return fc.nat().map((seed): WireRequest => ({ id: `prop-${seed}`, ...factory(new CaseRandom(`${seedPrefix}/${seed}`), 0) }));
}

/**
 * The property over `requests`: reference and impl agree (agree above); refusals and answers are counted in `n`,
 * and each answered request is handed to `observe` with the reference's response.
 */
export function checkAnsweredAgreement(name: string, requests: fc.Arbitrary<WireRequest>, n: { outputs: number; refused: number }, observe: (request: WireRequest, ref: Extract<WireResponse, { outputs: unknown }>) => void, runs: number): void {
  checkProperty(name, requests, (request) => {
    const ref = agree(request);
    if ('error' in ref) {
      n.refused++;
      return;
    }
    n.outputs++;
    observe(request, ref);
  }, runs);
}
