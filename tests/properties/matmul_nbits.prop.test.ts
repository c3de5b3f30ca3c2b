/**
 * MatMulNBits: the exact reference and the fast impl give the same bits (or the same typed error) on the vector
 * generator's cases (seeds drawn by fast-check, pinned), and a tenth of them turned into a route qconform does not
 * model (accuracy_level 4, or a single row of a), which both refuse alike. Not vacuous: counters show bits 2, 4 and 8,
 * zero points present and absent, a bias, several K slices (bits 2/8 with N > 64), K beyond 300 in one chain,
 * infinite outputs, zero outputs, batched a, and typed refusals of both kinds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matmulNBitsCase } from '../../conformance/cases/onnx_nbits_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { Attrs, Inputs, type WireRequest, type WireResponse } from '../../conformance/protocol/messages.js';
import { decodeMatMulNBits } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { checkMatMulNBits } from '../../contract/matmul_nbits_checks.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { checkProperty } from '../support/property.js';

const RUNS = 150;
const identity = (r: WireResponse) => JSON.stringify('error' in r ? r.error.code : r.outputs);

const requests = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 19 })).map(([seed, twist]): WireRequest => {
  const request = { id: `prop-${seed}`, ...matmulNBitsCase(new CaseRandom(`onnx-nbits/${seed}`), 0) };
  if (twist === 0) return { ...request, attrs: { ...request.attrs, accuracy_level: 4 } };
  if (twist === 1) {
    const a = request.inputs?.a as { shape: number[]; hex: string[] };
    const k = a.shape[a.shape.length - 1]!;
    return { ...request, inputs: { ...request.inputs, a: { ...a, shape: [1, k], hex: a.hex.slice(0, k) } } };
  }
  return request;
});

describe('MatMulNBits: reference and impl agree bit for bit', () => {
  it('matmul_nbits@1, not vacuously', () => {
    const n = { outputs: 0, refused: 0, unsupported: 0, bits2: 0, bits4: 0, bits8: 0, zeroPoints: 0, noZeroPoints: 0, bias: 0, slices: 0, longChain: 0, infinite: 0, zero: 0, batched: 0 };
    checkProperty('matmul_nbits agrees', requests, (request) => {
      const [ref, imp] = [evaluateRequest(reference, request), evaluateRequest(impl, request)];
      if (identity(ref) !== identity(imp)) throw new Error(`reference ${JSON.stringify(ref).slice(0, 300)}\nimpl ${JSON.stringify(imp).slice(0, 300)}`);
      if ('error' in ref) {
        n.refused++;
        if (ref.error.code === 'unsupported_by_scheme') n.unsupported++;
        return;
      }
      n.outputs++;
      const raw = request.attrs ?? {};
      const args = decodeMatMulNBits(new Attrs(raw, request.op), new Inputs(request.inputs ?? {}, request.op), raw);
      const g = checkMatMulNBits('matmul_nbits', args);
      n[`bits${args.bits}` as 'bits2' | 'bits4' | 'bits8']++;
      if (args.zeroPoints) n.zeroPoints++;
      else n.noZeroPoints++;
      if (args.bias) n.bias++;
      if (g.kStride < g.k) n.slices++;
      if (g.route === 'sqnbit_comp_fp32' && g.k > 300) n.longChain++;
      if (args.a.shape.length > 2) n.batched++;
      const hex = (ref.outputs.y as { hex: string[] }).hex;
      if (hex.some((h) => h === '7f800000' || h === 'ff800000')) n.infinite++;
      if (hex.includes('00000000')) n.zero++;
    }, RUNS);
    expect(n.outputs).toBeGreaterThan(RUNS * 0.7);
    expect(n.unsupported, 'accuracy_level 4 and single rows refused alike').toBeGreaterThan(5);
    expect(n.refused - n.unsupported, 'typed refusals of bad input').toBeGreaterThan(1);
    for (const k of ['bits2', 'bits4', 'bits8', 'zeroPoints', 'noZeroPoints', 'bias', 'batched'] as const) expect(n[k], k).toBeGreaterThan(8);
    expect(n.slices, 'K summed in slices (bits 2/8, N > 64)').toBeGreaterThan(3);
    expect(n.longChain, 'bits 4 with K > 300 in one chain').toBeGreaterThan(3);
    expect(n.infinite, 'overflow to inf').toBeGreaterThan(3);
    expect(n.zero, 'zero outputs (signed zeros of the chain)').toBeGreaterThan(3);
  });
});
