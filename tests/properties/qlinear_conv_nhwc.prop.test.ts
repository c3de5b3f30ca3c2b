/**
 * qlinear_conv_nhwc@1 (com.microsoft QLinearConv, channels_last): the exact reference and the fast impl give the same
 * bytes (or the same typed error) on the vector generator's cases, under both accumulator models (seeds drawn by
 * fast-check, pinned); and, where pads are equal begin to end, the op equals its quantized_conv2d@1 twin (ONNX
 * QLinearConv, NCHW) with the output transposed to NHWC. Not vacuous: counters show both dtypes, dense, pointwise,
 * depthwise and grouped convs, pads that differ begin to end, per-channel weights, symmetric and asymmetric weights,
 * sat16_pairs_im2col outputs that differ from int32_wrap, the twins compared, and typed refusals. uint8 weights equal the
 * int8-weight conv of w - 128 and z_w - 128; a 1-D conv equals the 2-D one with H = KH = 1, a 3-D one with one depth
 * slice the 2-D one (reference vs impl).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasNchwTwin, qlinearConvNchwTwin, qlinearConvNhwcCase } from '../../conformance/cases/qlinear_conv_nhwc_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { Attrs, Inputs, type WireRequest, type WireResponse } from '../../conformance/protocol/messages.js';
import { decodeQLinearConvNhwc } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { nchwToNhwc } from '../../contract/qlinear_conv_nhwc_checks.js';
import type { IntTensor } from '../../contract/tensor.js';
import { decodeTensor, encodeTensor } from '../../contract/wire.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { checkAnsweredAgreement } from '../support/answered_agreement.js';

const RUNS = 300;
const identity = (r: WireResponse) => JSON.stringify('error' in r ? r.error.code : r.outputs);
/** Each seed's case; every other quint8 x int8 case takes sat16_pairs_im2col (ORT's AVX2 u8 x s8 route). */
const requests = fc.nat().map((seed): WireRequest => {
  const q = { id: `prop-${seed}`, ...qlinearConvNhwcCase(new CaseRandom(`qconv-nhwc/${seed}`), 0) };
  const { x, w } = q.inputs as { x: { dtype: string }; w: { dtype: string } };
  return x.dtype === 'quint8' && w.dtype === 'qint8' && seed % 2 === 0 ? { ...q, attrs: { ...q.attrs, accumulator: 'sat16_pairs_im2col' } } : q;
});

/** The request with uint8 weights as int8 ones: w - 128 and z_w - 128 (the same w - z_w). */
function int8Weights(request: WireRequest): WireRequest {
  const i = request.inputs as Record<string, { shape: number[]; values: number[] }>;
  const shifted = (t: { shape: number[]; values: number[] }) => ({ dtype: 'qint8', shape: t.shape, values: t.values.map((v) => v - 128) });
  return { ...request, inputs: { ...i, w: shifted(i.w!), w_zero_point: shifted(i.w_zero_point!) } };
}

/** A 1-D request as the 2-D one with H = KH = 1. */
function asTwoD(request: WireRequest): WireRequest {
  const i = request.inputs as Record<string, { dtype: string; shape: number[]; values: number[] }>;
  const a = request.attrs as { strides: number[]; pads: number[]; dilations: number[] };
  const [n, w, c] = i.x!.shape as [number, number, number];
  const [m, cg, kw] = i.w!.shape as [number, number, number];
  return {
    ...request,
    inputs: { ...i, x: { ...i.x!, shape: [n, 1, w, c] }, w: { ...i.w!, shape: [m, cg, 1, kw] } },
    attrs: { ...a, strides: [1, a.strides[0]!], dilations: [1, a.dilations[0]!], pads: [0, a.pads[0]!, 0, a.pads[1]!] },
  };
}

/** A 3-D request with one depth slice, a kernel depth of 1 and no depth pads as its 2-D conv. */
function flatThreeD(request: WireRequest): WireRequest {
  const i = request.inputs as Record<string, { dtype: string; shape: number[]; values: number[] }>;
  const a = request.attrs as { strides: number[]; pads: number[]; dilations: number[] };
  const [n, , h, w, c] = i.x!.shape as [number, number, number, number, number];
  const [m, cg, , kh, kw] = i.w!.shape as [number, number, number, number, number];
  return {
    ...request,
    inputs: { ...i, x: { ...i.x!, shape: [n, h, w, c] }, w: { ...i.w!, shape: [m, cg, kh, kw] } },
    attrs: { ...a, strides: a.strides.slice(1), dilations: a.dilations.slice(1), pads: [a.pads[1]!, a.pads[2]!, a.pads[4]!, a.pads[5]!] },
  };
}

const outputOf = (r: WireResponse) => {
  if ('error' in r) throw new Error(`refused: ${r.error.message}`);
  return r.outputs.y as { shape: number[]; values: number[] };
};

describe('qlinear_conv_nhwc@1: reference and impl agree bit for bit, and equal the NCHW conv transposed', () => {
  it('on the generator cases, not vacuously', () => {
    const n = { outputs: 0, refused: 0, int8: 0, dense: 0, pointwise: 0, depthwise: 0, grouped: 0, unevenPads: 0, perChannel: 0, symmetric: 0, asymmetric: 0, sat16: 0, sat16Differs: 0, twins: 0, uint8Weights: 0, oneD: 0, threeD: 0, flatThreeD: 0, deepThreeD: 0 };
    checkAnsweredAgreement('qlinear_conv_nhwc agrees', requests, n, (request, ref) => {
      const a = decodeQLinearConvNhwc(new Attrs(request.attrs ?? {}, request.op), new Inputs(request.inputs ?? {}, request.op));
      if (a.w.dtype === 'quint8') {
        // uint8 weights: the int8-weight conv of w - 128, z_w - 128, bit for bit
        const y = outputOf(evaluateRequest(reference, int8Weights(request)));
        expect(y, 'uint8 weights equal their int8 shift').toEqual(ref.outputs.y);
        n.uint8Weights++;
      }
      if (a.x.shape.length === 3) {
        // 1-D: the 2-D conv with H = KH = 1, its output without the H dimension
        const y = outputOf(evaluateRequest(impl, asTwoD(request)));
        const own = ref.outputs.y as { shape: number[]; values: number[] };
        expect([y.shape[0], y.shape[2], y.shape[3]], '1-D output shape').toEqual(own.shape);
        expect(y.values, '1-D equals 2-D with H = 1').toEqual(own.values);
        n.oneD++;
        return;
      }
      if (a.x.shape.length === 5) {
        n.threeD++;
        if (a.w.shape[2]! > 1) n.deepThreeD++;
        if (a.x.shape[1] === 1 && a.w.shape[2] === 1 && a.pads[0] === 0 && a.pads[3] === 0) {
          // a depth of one: the 2-D conv (the direct 2-D path, not the im2col-as-channels one), same bytes
          const y = outputOf(evaluateRequest(impl, flatThreeD(request)));
          const own = ref.outputs.y as { shape: number[]; values: number[] };
          expect([y.shape[0], 1, ...y.shape.slice(1)], '3-D output shape').toEqual(own.shape);
          expect(y.values, 'a one-slice 3-D conv equals the 2-D conv').toEqual(own.values);
          n.flatThreeD++;
        }
        return;
      }
      const [m, cg, kh, kw] = a.w.shape as [number, number, number, number];
      const mg = m / a.group;
      if (a.x.dtype === 'qint8') n.int8++;
      if (cg === 1 && mg === 1 && a.group > 1) n.depthwise++;
      else if (a.group > 1) n.grouped++;
      else if (kh === 1 && kw === 1) n.pointwise++;
      else n.dense++;
      if (a.pads[0] !== a.pads[2] || a.pads[1] !== a.pads[3]) n.unevenPads++;
      if (a.wScale.data.length > 1) n.perChannel++;
      if (a.wZeroPoint.data[0] === 0) n.symmetric++;
      else n.asymmetric++;
      if (a.accumulator === 'sat16_pairs_im2col') {
        n.sat16++;
        const wrapped = evaluateRequest(impl, { ...request, attrs: { ...request.attrs, accumulator: 'int32_wrap' } });
        if (identity(wrapped) !== identity(ref)) n.sat16Differs++;
      }
      if (hasNchwTwin(request)) {
        const twin = qlinearConvNchwTwin(request);
        const y = evaluateRequest(reference, { ...twin, attrs: { ...twin.attrs, accumulator: a.accumulator } });
        if ('error' in y) throw new Error(`the NCHW twin refused: ${y.error.message}`);
        const transposed = encodeTensor(nchwToNhwc(decodeTensor(y.outputs.y, 'y') as IntTensor));
        if (JSON.stringify(transposed) !== JSON.stringify(ref.outputs.y)) throw new Error(`NHWC ${JSON.stringify(ref.outputs.y).slice(0, 200)}\nNCHW twin transposed ${JSON.stringify(transposed).slice(0, 200)}`);
        n.twins++;
      }
    }, RUNS);
    expect(n.outputs).toBeGreaterThan(RUNS * 0.8);
    expect(n.uint8Weights, 'uint8-weight cases').toBeGreaterThan(10);
    expect(n.oneD, '1-D cases').toBeGreaterThan(20);
    expect(n.threeD, '3-D cases').toBeGreaterThan(20);
    expect(n.deepThreeD, '3-D cases with a kernel depth of 2').toBeGreaterThan(5);
    expect(n.flatThreeD, 'one-slice 3-D cases compared with their 2-D conv').toBeGreaterThan(3);
    expect(n.refused).toBeGreaterThan(0);
    expect(n.int8).toBeGreaterThan(40);
    for (const k of ['dense', 'pointwise', 'depthwise', 'grouped'] as const) expect(n[k], k).toBeGreaterThan(5);
    expect(n.unevenPads).toBeGreaterThan(20);
    expect(n.perChannel).toBeGreaterThan(40);
    expect(n.symmetric).toBeGreaterThan(40);
    expect(n.asymmetric).toBeGreaterThan(40);
    expect(n.sat16).toBeGreaterThan(20);
    expect(n.sat16Differs, 'sat16_pairs_im2col outputs that differ from int32_wrap').toBeGreaterThan(2);
    expect(n.twins).toBeGreaterThan(50);
  });
});
