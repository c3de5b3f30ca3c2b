/**
 * The reference-equals-impl property of the ONNX ops' property tests (tests/properties/onnx_*.prop.test.ts): over a
 * case generator's requests (seeds drawn by fast-check, pinned), reference and impl give the same outputs or the
 * same typed error; refusals and answers are counted, and each answered request goes to `observe` for the test's
 * own non-vacuity counters.
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

/** The reference's response, after checking that impl answers the same. */
function agree(request: WireRequest): WireResponse {
  const [ref, imp] = [evaluateRequest(reference, request), evaluateRequest(impl, request)];
  if (identity(ref) !== identity(imp)) throw new Error(`reference ${JSON.stringify(ref).slice(0, 300)}\nimpl ${JSON.stringify(imp).slice(0, 300)}`);
  return ref;
}

/** The property `name` over `factory`'s requests seeded `${seedPrefix}/${seed}`. */
export function checkAnsweredAgreement(name: string, seedPrefix: string, factory: CaseFactory, n: { outputs: number; refused: number }, observe: (request: WireRequest, ref: WireResponse) => void, runs: number): void {
  const requests = fc.nat().map((seed): WireRequest => ({ id: `prop-${seed}`, ...factory(new CaseRandom(`${seedPrefix}/${seed}`), 0) }));
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
