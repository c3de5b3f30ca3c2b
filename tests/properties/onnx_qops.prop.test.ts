/**
 * The ONNX integer ops (matmul_integer@1, qlinear_matmul@1, qgemm@1, conv_integer@1): the exact reference and the
 * fast impl give the same bytes (or the same typed error) on the vector generators' cases (seeded by fast-check,
 * pinned), with the `sat16_pairs_im2col` accumulator on half of the u8 x s8 matmuls. Not vacuous: counters show
 * outputs, exact rounding ties f32(acc * scale) = k + 1/2, clamped outputs, saturated vpmaddubsw pairs that
 * change the result, QGemm C + acc wrapping int32, float QGemm outputs, per-column parameters and batches.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaseRandom } from '../../conformance/cases/random.js';
import { convIntegerCase, matmulIntegerCase, qgemmCase, qlinearMatMulCase } from '../../conformance/cases/onnx_qops_cases.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { Attrs, Inputs, type WireRequest, type WireResponse } from '../../conformance/protocol/messages.js';
import { decodeQGemm, decodeQLinearMatMul } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { checkQGemm, checkQLinearMatMul } from '../../contract/onnx_matmul_checks.js';
import { f32Div, f32Mul } from '../../impl/float32.js';
import { impl } from '../../impl/index.js';
import { gemmAccumulators, zeroPointsF } from '../../impl/onnx/int_gemm.js';
import { reference } from '../../reference/index.js';
import { checkProperty } from '../support/property.js';

const identity = (r: WireResponse) => JSON.stringify('error' in r ? r.error.code : r.outputs);
const dtypeOf = (req: WireRequest, name: string) => (req.inputs?.[name] as { dtype?: string } | undefined)?.dtype;

/** A generator's case from a fast-check seed, with sat16_pairs_im2col on half of the u8 x s8 GEMMs. */
const requests = (factory: typeof qgemmCase) =>
  fc.tuple(fc.nat(), fc.boolean()).map(([seed, sat]): WireRequest => {
    const req = { id: `prop-${seed}`, ...factory(new CaseRandom(`onnx-qops/${seed}`), 0) };
    // the GEMM's A x B: a x b, or for conv_integer w x im2col(x)
    const u8s8 = req.op === 'conv_integer@1' ? dtypeOf(req, 'w') === 'quint8' && dtypeOf(req, 'x') === 'qint8' : dtypeOf(req, 'a') === 'quint8' && dtypeOf(req, 'b') === 'qint8';
    return sat && u8s8 ? { ...req, attrs: { ...req.attrs, accumulator: 'sat16_pairs_im2col' } } : req;
  });

function agree(request: WireRequest): WireResponse {
  const [ref, imp] = [evaluateRequest(reference, request), evaluateRequest(impl, request)];
  if (identity(ref) !== identity(imp)) throw new Error(`reference ${JSON.stringify(ref).slice(0, 300)}\nimpl ${JSON.stringify(imp).slice(0, 300)}`);
  return ref;
}

/** How many f32(acc * scale) of a qlinear_matmul / quantized qgemm land exactly on k + 1/2 (the epilogue's ties). */
function ties(request: WireRequest): number {
  const raw = request.attrs ?? {};
  const [a, i] = [new Attrs(raw, request.op), new Inputs(request.inputs ?? {}, request.op)];
  const isGemm = request.op === 'qgemm@1';
  const args = isGemm ? decodeQGemm(a, i, raw) : decodeQLinearMatMul(a, i, raw);
  const g = isGemm ? checkQGemm(args as ReturnType<typeof decodeQGemm>) : checkQLinearMatMul(args as ReturnType<typeof decodeQLinearMatMul>);
  if (!args.yScale) return 0;
  const alpha = isGemm ? Math.fround((args as ReturnType<typeof decodeQGemm>).alpha) : 1;
  const o = { a: args.a.data, b: args.b.data, ...zeroPointsF(g, args.aZeroPoint.data, args.bZeroPoint.data) };
  let count = 0;
  for (const batch of g.batches) {
    const c = isGemm ? (args as ReturnType<typeof decodeQGemm>).c : null;
    const index = (g as { biasIndex?: ((i: number, j: number) => number) | null }).biasIndex;
    const bias = c && index ? (i: number, j: number) => c.data[index(i, j)] as number : undefined;
    gemmAccumulators(g, o, batch, args.accumulator, bias).forEach((acc, x) => {
      const bScale = args.bScale.data[g.bPerColumn ? batch.bParamOffset + (x % g.n) : 0] as number;
      const scale = isGemm ? f32Div(f32Mul(f32Mul(alpha, args.aScale.data[0] as number), bScale), args.yScale!.data[0] as number) : f32Div(f32Mul(args.aScale.data[0] as number, bScale), args.yScale!.data[0] as number);
      const v = f32Mul(Math.fround(acc), scale);
      if (Math.abs(v - Math.trunc(v)) === 0.5) count++;
    });
  }
  return count;
}

const RUNS = 400;

describe('ONNX integer ops: reference and impl agree bit for bit', () => {
  it('matmul_integer@1, not vacuously', () => {
    const n = { cases: 0, outputs: 0, saturatedPairs: 0, perColumn: 0, batched: 0, wrapped: 0 };
    checkProperty('matmul_integer agrees', requests(matmulIntegerCase), (request) => {
      const ref = agree(request);
      n.cases++;
      if ('error' in ref) return;
      n.outputs++;
      const bz = request.inputs?.b_zero_point as { shape: number[] } | undefined;
      if (bz && bz.shape.reduce((x, y) => x * y, 1) > 1) n.perColumn++;
      if (((request.inputs?.a as { shape: number[] }).shape.length ?? 0) > 2) n.batched++;
      if (request.attrs?.accumulator === 'sat16_pairs_im2col' && identity(evaluateRequest(impl, { ...request, attrs: { ...request.attrs, accumulator: 'int32_wrap' } })) !== identity(ref)) n.saturatedPairs++;
    }, RUNS);
    expect(n.cases).toBe(RUNS);
    expect(n.outputs).toBeGreaterThan(RUNS * 0.9);
    expect(n.saturatedPairs).toBeGreaterThan(5);
    expect(n.perColumn).toBeGreaterThan(50);
    expect(n.batched).toBeGreaterThan(20);
  });

  for (const [op, factory] of [['qlinear_matmul@1', qlinearMatMulCase], ['qgemm@1', qgemmCase]] as const) {
    it(`${op}, not vacuously`, () => {
      const n = { cases: 0, outputs: 0, tieCases: 0, clampedCases: 0, saturatedPairs: 0, floatOutputs: 0, cWraps: 0 };
      checkProperty(`${op} agrees`, requests(factory), (request) => {
        const ref = agree(request);
        n.cases++;
        if ('error' in ref) return;
        n.outputs++;
        const y = ref.outputs.y as { dtype: string; values?: number[] };
        if (y.dtype === 'float32') n.floatOutputs++;
        else if (y.values!.some((v) => v === (y.dtype === 'quint8' ? 0 : -128) || v === (y.dtype === 'quint8' ? 255 : 127))) n.clampedCases++;
        if (ties(request) > 0) n.tieCases++;
        if (request.attrs?.accumulator === 'sat16_pairs_im2col' && identity(evaluateRequest(impl, { ...request, attrs: { ...request.attrs, accumulator: 'int32_wrap' } })) !== identity(ref)) n.saturatedPairs++;
        const c = request.inputs?.c as { values: number[] } | undefined;
        if (c?.values.some((v) => Math.abs(v) > 2 ** 31 - 60000)) n.cWraps++;
      }, RUNS);
      expect(n.cases).toBe(RUNS);
      expect(n.outputs).toBeGreaterThan(RUNS * 0.85);
      expect(n.tieCases, 'cases with an exact rounding tie').toBeGreaterThan(20);
      expect(n.clampedCases).toBeGreaterThan(50);
      expect(n.saturatedPairs).toBeGreaterThan(3);
      if (op === 'qgemm@1') {
        expect(n.floatOutputs).toBeGreaterThan(50);
        expect(n.cWraps).toBeGreaterThan(5);
      }
    });
  }

  it('conv_integer@1, not vacuously', () => {
    const n = { cases: 0, outputs: 0, padded: 0, grouped: 0, saturatedPairs: 0, distinct: new Set<number>() };
    checkProperty('conv_integer agrees', requests(convIntegerCase), (request) => {
      const ref = agree(request);
      n.cases++;
      if ('error' in ref) return;
      n.outputs++;
      if ((request.attrs?.pads as number[]).some((p) => p > 0)) n.padded++;
      if ((request.attrs?.group as number) > 1) n.grouped++;
      if (request.attrs?.accumulator === 'sat16_pairs_im2col' && identity(evaluateRequest(impl, { ...request, attrs: { ...request.attrs, accumulator: 'int32_wrap' } })) !== identity(ref)) n.saturatedPairs++;
      for (const v of (ref.outputs.y as { values: number[] }).values) n.distinct.add(v);
    }, RUNS);
    expect(n.outputs).toBeGreaterThan(RUNS * 0.85);
    expect(n.padded).toBeGreaterThan(50);
    expect(n.grouped).toBeGreaterThan(30);
    expect(n.distinct.size).toBeGreaterThan(1000);
    expect(n.saturatedPairs).toBeGreaterThan(3);
  });
});
