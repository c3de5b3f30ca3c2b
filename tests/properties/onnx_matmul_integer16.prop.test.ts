/**
 * MatMulInteger16: the exact reference and the fast impl give the same int32 outputs (or the same typed error) on the
 * vector generator's cases (seeds drawn by fast-check, pinned; replay line on failure). Not vacuous: counters show
 * outputs whose exact sum leaves int32 (so both wrap), 1-D operands, batched GEMMs and a b broadcast over the batches, long K, refusals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matmulInteger16Case } from '../../conformance/cases/onnx_matmul_integer16_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { Inputs, type WireRequest, type WireResponse } from '../../conformance/protocol/messages.js';
import { decodeMatMulInteger16 } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { checkMatMulInteger16 } from '../../contract/matmul_integer16_checks.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { checkProperty } from '../support/property.js';

const RUNS = 300;
const identity = (r: WireResponse) => JSON.stringify('error' in r ? r.error.code : r.outputs);
const requests = fc.nat().map((seed): WireRequest => ({ id: `prop-${seed}`, ...matmulInteger16Case(new CaseRandom(`onnx-matmul-integer16/${seed}`), 0) }));

describe('MatMulInteger16: reference and impl agree bit for bit', () => {
  it('matmul_integer16@1, not vacuously', () => {
    const n = { outputs: 0, refused: 0, wrapped: 0, oneD: 0, batched: 0, sharedB: 0, longK: 0 };
    checkProperty('matmul_integer16 agrees', requests, (request) => {
      const [ref, imp] = [evaluateRequest(reference, request), evaluateRequest(impl, request)];
      if (identity(ref) !== identity(imp)) throw new Error(`reference ${JSON.stringify(ref).slice(0, 300)}\nimpl ${JSON.stringify(imp).slice(0, 300)}`);
      if ('error' in ref) return void n.refused++;
      n.outputs++;
      const args = decodeMatMulInteger16(new Inputs(request.inputs ?? {}, request.op));
      const g = checkMatMulInteger16(args);
      if (args.a.shape.length === 1 || args.b.shape.length === 1) n.oneD++;
      if (g.batches.length > 1) n.batched++;
      if (g.batches.length > 1 && g.batches.every((b) => b.bOffset === 0)) n.sharedB++; // one b for every batch (broadcast)
      if (g.k >= 40) n.longK++;
      // an exact sum outside int32 somewhere: recompute one batch's sums in bigint
      const batch = g.batches[0]!;
      outer: for (let i = 0; i < g.m; i++) {
        for (let j = 0; j < g.n; j++) {
          let s = 0n;
          for (let k = 0; k < g.k; k++) s += BigInt(args.a.data[batch.aOffset + i * g.aStrideM + k]!) * BigInt(args.b.data[batch.bOffset + k * g.bStrideK + j]!);
          if (s > 2147483647n || s < -2147483648n) {
            n.wrapped++;
            break outer;
          }
        }
      }
    }, RUNS);
    expect(n.outputs).toBeGreaterThan(RUNS * 0.9);
    expect(n.refused).toBeGreaterThan(2);
    expect(n.wrapped, 'outputs whose exact sum leaves int32').toBeGreaterThan(40);
    expect(n.oneD).toBeGreaterThan(10);
    expect(n.batched).toBeGreaterThan(40);
    expect(n.longK).toBeGreaterThan(20);
    expect(n.sharedB).toBeGreaterThan(10);
  });
});
