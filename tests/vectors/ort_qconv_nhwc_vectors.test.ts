import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { Attrs, Inputs } from '../../conformance/protocol/messages.js';
import { decodeQLinearConvNhwc } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { impl } from '../../impl/index.js';
import { ortOpsCases } from '../support/ort_ops_vector_cases.js';

/**
 * What ONNX Runtime 1.30 recorded for com.microsoft QLinearConv with channels_last = 1 (qlinear_conv_nhwc@1 in
 * vectors/onnxruntime-1.30-ops and its Haswell twin; tests/vectors/ort_ops_vectors.test.ts runs every case through
 * reference and impl): both dtypes, every MLAS route's geometry (dense, pointwise, depthwise, grouped; symmetric
 * weights for ConvSym, asymmetric for the QGEMM), pads that differ begin to end, per-channel scales, ORT's refusals,
 * and on Haswell uint8 convs whose saturated int16 pairs (sat16_pairs_im2col) change the output; 1-D and 3-D convs and uint8
 * weights (int32_wrap on both CPUs: MLAS's u8 x u8 kernels widen to int16).
 */
const { host, haswell } = ortOpsCases('qlinear_conv_nhwc@1');
type Case = (typeof host)[number];
const ok = (c: Case) => 'outputs' in c.expect;
const args = (c: Case) => decodeQLinearConvNhwc(new Attrs(c.attrs, c.op), new Inputs(c.inputs, c.op));

describe('ORT 1.30 vectors of com.microsoft QLinearConv (NHWC)', () => {
  it('hold 300 host cases, mostly outputs of both dtypes, typed refusals, and the Haswell set', () => {
    expect(host.length).toBeGreaterThanOrEqual(300);
    expect(host.filter(ok).length / host.length).toBeGreaterThan(0.9);
    expect(host.filter((c) => !ok(c)).length).toBeGreaterThan(3);
    expect(new Set(host.filter(ok).map((c) => args(c).x.dtype))).toEqual(new Set(['quint8', 'qint8']));
    expect(haswell.filter(ok).length).toBeGreaterThan(60);
  });

  it('cover every route geometry, symmetric and asymmetric weights, uneven pads and per-channel scales', () => {
    const n = { dense: 0, pointwise: 0, depthwise: 0, grouped: 0, symmetric: 0, asymmetric: 0, uneven: 0, perChannel: 0 };
    for (const c of host.filter(ok).filter((c) => args(c).x.shape.length === 4)) {
      const a = args(c);
      const [m, cg, kh, kw] = a.w.shape as [number, number, number, number];
      if (cg === 1 && m === a.group && a.group > 1) n.depthwise++;
      else if (a.group > 1) n.grouped++;
      else if (kh === 1 && kw === 1) n.pointwise++;
      else n.dense++;
      if (a.wZeroPoint.data[0] === 0) n.symmetric++;
      else n.asymmetric++;
      if (a.pads[0] !== a.pads[2] || a.pads[1] !== a.pads[3]) n.uneven++;
      if (a.wScale.data.length > 1) n.perChannel++;
    }
    for (const k of ['dense', 'pointwise', 'depthwise', 'grouped'] as const) expect(n[k], k).toBeGreaterThan(10);
    for (const k of ['symmetric', 'asymmetric'] as const) expect(n[k], k).toBeGreaterThan(35);
    expect(n.uneven).toBeGreaterThan(20);
    expect(n.perChannel).toBeGreaterThan(35);
  });

  it('on Haswell: uint8 non-depthwise convs take sat16_pairs_im2col, and it changes some outputs', () => {
    const sat = haswell.filter((c) => ok(c) && c.attrs.accumulator === 'sat16_pairs_im2col');
    expect(sat.length).toBeGreaterThan(10);
    const differ = sat.filter((c) => JSON.stringify(evaluateRequest(impl, { ...c, attrs: { ...c.attrs, accumulator: 'int32_wrap' } })) !== JSON.stringify({ id: c.id, outputs: (c.expect as { outputs: unknown }).outputs }));
    expect(differ.length).toBeGreaterThan(2);
    expect(host.every((c) => c.attrs.accumulator === 'int32_wrap')).toBe(true);
  });

  it('hold 1-D and 3-D convs and uint8 weights on both CPUs; on Haswell the u8 x u8 kernel does not saturate as u8 x s8 would', () => {
    const threeD = (cs: Case[]) => cs.filter((c) => ok(c) && args(c).x.shape.length === 5);
    expect(threeD(host).length).toBeGreaterThan(30);
    expect(threeD(host).filter((c) => args(c).w.shape[2]! > 1).length, '3-D kernels of depth 2').toBeGreaterThan(5);
    expect(threeD(haswell).filter((c) => c.attrs.accumulator === 'sat16_pairs_im2col').length, '3-D convs under the AVX2 pairs').toBeGreaterThan(0);
    const oneD = (cs: Case[]) => cs.filter((c) => ok(c) && args(c).x.shape.length === 3);
    const u8w = (cs: Case[]) => cs.filter((c) => ok(c) && args(c).w.dtype === 'quint8');
    expect(oneD(host).length).toBeGreaterThan(60);
    expect(u8w(host).length).toBeGreaterThan(30);
    expect(oneD(haswell).length).toBeGreaterThan(15);
    expect(oneD(haswell).filter((c) => c.attrs.accumulator === 'sat16_pairs_im2col').length, '1-D convs under the AVX2 pairs').toBeGreaterThan(3);
    expect(u8w(haswell).length).toBeGreaterThan(8);
    expect(u8w(haswell).every((c) => c.attrs.accumulator === 'int32_wrap')).toBe(true);
    // the same conv as int8 weights (w - 128, z_w - 128) under the u8 x s8 kernel's saturating pairs: some outputs differ
    // from what ORT recorded, so ORT's u8 x u8 route is not that kernel
    const shifted = (t: unknown) => {
      const w = t as { shape: number[]; values: number[] };
      return { dtype: 'qint8', shape: w.shape, values: w.values.map((v) => v - 128) };
    };
    const saturating = u8w(haswell).filter((c) => {
      const request = { ...c, attrs: { ...c.attrs, accumulator: 'sat16_pairs_im2col' }, inputs: { ...c.inputs, w: shifted(c.inputs.w), w_zero_point: shifted(c.inputs.w_zero_point) } };
      return JSON.stringify(evaluateRequest(impl, request)) !== JSON.stringify({ id: c.id, outputs: (c.expect as { outputs: unknown }).outputs });
    });
    expect(saturating.length, 'uint8-weight Haswell cases that u8 x s8 saturation would change').toBeGreaterThan(0);
  });
});
