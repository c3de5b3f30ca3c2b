/**
 * QAttention: the exact reference and the fast impl give the same bytes (or the same typed error) on the vector
 * generator's cases, each drawn with either softmax kernel and, for int8 weights, either accumulator model (seeds
 * drawn by fast-check, pinned). Not vacuous: counters show outputs and refusals, both weight dtypes, both kernels and
 * both accumulators, sequences beyond 16 (where the kernels' lane sums differ), several heads, batches of 2,
 * per-column weight scales, every answered mask_index form (contract/qattention_mask.ts), causal masking, past state
 * (with its present output; one-token steps over a past, MLAS's M = 1 route; SGEMMs in two K blocks; heads of size 1, its N = 1 route), cases where the mask changes the output bytes, and cases where the other kernel or the
 * other accumulator does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { qattentionCase } from '../../conformance/cases/onnx_qattention_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { checkAnsweredAgreement } from '../support/answered_agreement.js';

const RUNS = 150;
const identity = (r: WireResponse) => JSON.stringify('error' in r ? r.error.code : r.outputs);
const requests = fc.nat().map((seed): WireRequest => {
  const r = new CaseRandom(`onnx-qattention/${seed}`);
  const req = qattentionCase(r, seed % 64);
  const int8 = (req.inputs?.weight as { dtype: string } | undefined)?.dtype === 'qint8';
  const attrs = { ...req.attrs, softmax_kernel: r.bool(0.5) ? 'fma3' : 'avx512f', accumulator: int8 && r.bool(0.5) ? 'sat16_pairs_im2col' : 'int32_wrap' };
  return { id: `prop-${seed}`, ...req, attrs };
});

describe('QAttention: reference and impl agree bit for bit', () => {
  it('qattention@1, not vacuously', () => {
    const n = { outputs: 0, refused: 0, int8: 0, fma3: 0, sat16: 0, long: 0, heads: 0, batch2: 0, perColumn: 0, kernelMatters: 0, accumulatorMatters: 0, causal: 0, past: 0, decode: 0, kBlocks: 0, head1: 0, maskMatters: 0 };
    const forms: Record<string, number> = { key_lengths: 0, end_start: 0, key_lengths_3b2: 0, raw_2d: 0, dummy: 0, raw_3d: 0 };
    checkAnsweredAgreement('qattention agrees', requests, n, (request, ref) => {
      const a = request.attrs!;
      const input = request.inputs!.input as { shape: number[] };
      if ((request.inputs!.weight as { dtype: string }).dtype === 'qint8') n.int8++;
      if (a.softmax_kernel === 'fma3') n.fma3++;
      if (a.accumulator === 'sat16_pairs_im2col') n.sat16++;
      if (input.shape[1]! > 16) n.long++;
      if ((a.num_heads as number) > 1) n.heads++;
      if (input.shape[0] === 2) n.batch2++;
      if ((request.inputs!.weight_scale as { shape: number[] }).shape[0]! > 1) n.perColumn++;
      if (a.unidirectional === 1 && input.shape[1]! > 1) n.causal++;
      const total = input.shape[1]! + ((request.inputs!.past as { shape: number[] } | undefined)?.shape[3] ?? 0);
      if ((request.inputs!.weight as { shape: number[] }).shape[1]! / 3 === (a.num_heads as number) && input.shape[1]! > 1) n.head1++;
      if (total > 128 || (request.inputs!.weight as { shape: number[] }).shape[1]! / 3 / (a.num_heads as number) > 128) n.kBlocks++;
      if (request.inputs!.past) {
        n.past++;
        if (input.shape[1] === 1 && (request.inputs!.past as { shape: number[] }).shape[3]! > 1) n.decode++;
        expect(ref.outputs.present, 'present with past').toBeDefined();
      }
      const mask = request.inputs!.mask_index as { shape: number[] } | undefined;
      if (mask) {
        const [b, t] = [input.shape[0]!, (request.inputs!.past as { shape: number[] } | undefined)?.shape[3] ?? 0];
        const d = mask.shape;
        const form = d.length === 3 ? 'raw_3d' : d.length === 2 ? (d[1] === t + input.shape[1]! && d[0] === b ? 'raw_2d' : 'dummy') : d[0] === b ? 'key_lengths' : d[0] === 2 * b ? 'end_start' : 'key_lengths_3b2';
        forms[form]!++;
        const { mask_index: _, ...unmasked } = request.inputs!;
        if (identity(evaluateRequest(impl, { ...request, inputs: unmasked })) !== identity(ref)) n.maskMatters++;
      }
      const other = (attrs: Record<string, unknown>) => identity(evaluateRequest(impl, { ...request, attrs: { ...a, ...attrs } }));
      if (other({ softmax_kernel: a.softmax_kernel === 'fma3' ? 'avx512f' : 'fma3' }) !== identity(ref)) n.kernelMatters++;
      if (a.accumulator === 'sat16_pairs_im2col' && other({ accumulator: 'int32_wrap' }) !== identity(ref)) n.accumulatorMatters++;
    }, RUNS);
    expect(n.outputs).toBeGreaterThan(RUNS * 0.85);
    for (const k of ['int8', 'fma3', 'long', 'heads', 'perColumn'] as const) expect(n[k], k).toBeGreaterThan(RUNS * 0.2);
    expect(n.sat16).toBeGreaterThan(5);
    expect(n.batch2).toBeGreaterThan(3);
    expect(n.kernelMatters, 'cases whose output bytes depend on the softmax kernel').toBeGreaterThan(3);
    expect(n.accumulatorMatters, 'cases whose output bytes depend on the accumulator model').toBeGreaterThan(2);
    for (const [form, count] of Object.entries(forms)) expect(count, `answered requests with a ${form} mask`).toBeGreaterThan(2);
    expect(n.causal, 'causal requests').toBeGreaterThan(RUNS * 0.15);
    expect(n.past, 'requests with past state').toBeGreaterThan(RUNS * 0.1);
    expect(n.decode, 'one-token steps over a past (MLAS M = 1 route)').toBeGreaterThan(3);
    expect(n.kBlocks, 'requests whose SGEMMs run in two K blocks').toBeGreaterThan(2);
    expect(n.head1, 'heads of size 1 over several rows (MLAS N = 1 route)').toBeGreaterThan(2);
    expect(n.maskMatters, 'requests whose mask changes the output bytes').toBeGreaterThan(RUNS * 0.15);
  });
});
