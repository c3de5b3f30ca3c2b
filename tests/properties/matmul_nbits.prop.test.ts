/**
 * MatMulNBits: the exact reference and the fast impl give the same bits (or the same typed error) on the vector
 * generator's cases (seeds drawn by fast-check, pinned), a twentieth of them turned into accuracy_level 4 (not
 * modelled: both refuse alike), and a fifth into a single row of a (MLAS's M1 kernels, either kernel set). Not
 * vacuous: counters show bits 2, 4 and 8, zero points present and absent, a bias, several K slices (bits 2/8 with
 * N > 64), K beyond 300 in one chain, infinite outputs, zero outputs, batched a, typed refusals of both kinds, single
 * rows of bits 4 on both kernel sets and of bits 2/8, and bits-4 single rows whose output the kernel set changes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MATMUL_NBITS_M1_FROM, matmulNBitsCase } from '../../conformance/cases/onnx_nbits_cases.js';
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
  // twists 1-4: the generator's single-row cases (index >= MATMUL_NBITS_M1_FROM), on either kernel set
  const m1 = twist >= 1 && twist <= 4;
  const request = { id: `prop-${seed}`, ...matmulNBitsCase(new CaseRandom(`onnx-nbits/${seed}`), m1 ? MATMUL_NBITS_M1_FROM : 0) };
  if (twist === 0) return { ...request, attrs: { ...request.attrs, accuracy_level: 4 } };
  if (m1) return { ...request, attrs: { ...request.attrs, qnbit_kernel: twist % 2 === 0 ? 'avx2' : 'avx512' } };
  return request;
});

describe('MatMulNBits: reference and impl agree bit for bit', () => {
  it('matmul_nbits@1, not vacuously', () => {
    const n = { outputs: 0, refused: 0, unsupported: 0, bits2: 0, bits4: 0, bits8: 0, zeroPoints: 0, noZeroPoints: 0, bias: 0, slices: 0, longChain: 0, infinite: 0, zero: 0, batched: 0, m1Avx512: 0, m1Avx2: 0, m1Sgemm: 0, kernelMatters: 0 };
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
      const args = decodeMatMulNBits(new Attrs(raw, request.op), new Inputs(request.inputs ?? {}, request.op));
      const g = checkMatMulNBits('matmul_nbits', args);
      n[`bits${args.bits}` as 'bits2' | 'bits4' | 'bits8']++;
      if (args.zeroPoints) n.zeroPoints++;
      else n.noZeroPoints++;
      if (args.bias) n.bias++;
      if (g.kStride < g.k) n.slices++;
      if (g.route === 'sqnbit_comp_fp32' && g.k > 300) n.longChain++;
      if (args.a.shape.length > 2 && g.rows > 1) n.batched++;
      if (g.route === 'sqnbit_m1_comp_fp32') {
        n[args.qnbitKernel === 'avx2' ? 'm1Avx2' : 'm1Avx512']++;
        const other = evaluateRequest(impl, { ...request, attrs: { ...raw, qnbit_kernel: args.qnbitKernel === 'avx2' ? 'avx512' : 'avx2' } });
        if (identity(other) !== identity(ref)) n.kernelMatters++;
      }
      if (g.route === 'sgemm_m1_transpose_b') n.m1Sgemm++;
      const hex = (ref.outputs.y as { hex: string[] }).hex;
      if (hex.some((h) => h === '7f800000' || h === 'ff800000')) n.infinite++;
      if (hex.includes('00000000')) n.zero++;
    }, RUNS);
    expect(n.outputs).toBeGreaterThan(RUNS * 0.7);
    expect(n.unsupported, 'accuracy_level 4 refused alike').toBeGreaterThan(3);
    expect(n.m1Avx512, 'single rows of bits 4, avx512').toBeGreaterThan(5);
    expect(n.m1Avx2, 'single rows of bits 4, avx2').toBeGreaterThan(5);
    expect(n.m1Sgemm, 'single rows of bits 2/8').toBeGreaterThan(3);
    expect(n.kernelMatters, 'bits-4 single rows whose output depends on the kernel set').toBeGreaterThan(3);
    expect(n.refused - n.unsupported, 'typed refusals of bad input').toBeGreaterThan(1);
    for (const k of ['bits2', 'bits4', 'bits8', 'zeroPoints', 'noZeroPoints', 'bias', 'batched'] as const) expect(n[k], k).toBeGreaterThan(8);
    expect(n.slices, 'K summed in slices (bits 2/8, N > 64)').toBeGreaterThan(3);
    expect(n.longChain, 'bits 4 with K > 300 in one chain').toBeGreaterThan(3);
    expect(n.infinite, 'overflow to inf').toBeGreaterThan(3);
    expect(n.zero, 'zero outputs (signed zeros of the chain)').toBeGreaterThan(3);
  });
});
