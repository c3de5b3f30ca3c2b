import { describe, expect, it } from 'vitest';
import { Attrs, Inputs } from '../../conformance/protocol/messages.js';
import { decodeDynamicQuantizeLstm } from '../../conformance/protocol/onnx_qops_dispatch.js';
import type { DynamicQuantizeLstmArgs } from '../../contract/onnx_qops.js';
import { impl } from '../../impl/index.js';
import { ortOpsCases } from '../support/ort_ops_vector_cases.js';

/**
 * What ONNX Runtime 1.30 recorded for com.microsoft DynamicQuantizeLSTM (vectors/onnxruntime-1.30-ops and its Haswell
 * twin; tests/vectors/ort_ops_vectors.test.ts runs every case through reference and impl): both weight types, per-tensor
 * and per-column parameters, each optional input and attribute, several steps over several batch rows, ORT's typed
 * refusals; reverse and bidirectional directions, sequence_lens (with rows of length 0 and shorter than seq_length),
 * every modelled activation, Y_h and Y_c; on Haswell int8-weight cases where MLAS's int16 pair saturation changes Y (so the AVX2 accumulator is
 * measured, not assumed), and on the host the same cases would differ under that model.
 */
const { host, haswell } = ortOpsCases('dynamic_quantize_lstm@1');
type Case = (typeof host)[number];
const ok = (c: Case) => 'outputs' in c.expect;
const args = (c: Case) => decodeDynamicQuantizeLstm(new Attrs(c.attrs, c.op), new Inputs(c.inputs, c.op));
const yHex = (a: DynamicQuantizeLstmArgs) => Buffer.from(impl.dynamicQuantizeLstm(a).y.data.buffer).toString('hex');

describe('ORT 1.30 vectors of DynamicQuantizeLSTM', () => {
  it('hold 300 host cases and the Haswell set, mostly outputs, with ORT refusals of each kind', () => {
    expect(host.length).toBeGreaterThanOrEqual(300);
    expect(host.filter(ok).length / host.length).toBeGreaterThan(0.9);
    const codes = new Set(host.filter((c) => !ok(c)).map((c) => (c.expect as { error: { code: string } }).error.code));
    expect([...codes].sort()).toEqual(['invalid_integer', 'malformed_request', 'shape_mismatch', 'zero_point_out_of_range']);
    expect(haswell.filter(ok).length).toBeGreaterThan(60);
  });

  it('cover both weight types, per-column parameters, every optional input and attribute, several steps and rows', () => {
    const all = host.filter(ok).map(args);
    const count = (p: (a: DynamicQuantizeLstmArgs) => boolean) => all.filter(p).length;
    expect(count((a) => a.w.dtype === 'qint8')).toBeGreaterThan(100);
    expect(count((a) => a.w.dtype === 'quint8')).toBeGreaterThan(100);
    expect(count((a) => a.wScale.shape.length === 2)).toBeGreaterThan(50);
    expect(count((a) => a.rZeroPoint.shape.length === 2)).toBeGreaterThan(50);
    expect(count((a) => a.b !== null)).toBeGreaterThan(100);
    expect(count((a) => a.initialH !== null)).toBeGreaterThan(80);
    expect(count((a) => a.initialC !== null)).toBeGreaterThan(80);
    expect(count((a) => a.p !== null)).toBeGreaterThan(50);
    expect(count((a) => a.clip !== null)).toBeGreaterThan(50);
    expect(count((a) => a.inputForget === 1)).toBeGreaterThan(20);
    expect(count((a) => a.activations !== null), 'the default activations spelled out').toBeGreaterThan(5);
    expect(count((a) => (a.x.shape[0] as number) > 2 && (a.x.shape[1] as number) > 1)).toBeGreaterThan(50);
    expect(count((a) => a.direction === 'reverse')).toBeGreaterThan(40);
    expect(count((a) => a.direction === 'bidirectional')).toBeGreaterThan(50);
    expect(count((a) => a.sequenceLens !== null && a.sequenceLens.data.some((v) => v < (a.x.shape[0] as number)))).toBeGreaterThan(50);
    expect(count((a) => a.sequenceLens !== null && a.sequenceLens.data.some((v) => v === 0))).toBeGreaterThan(10);
    for (const name of ['relu', 'affine', 'leakyrelu', 'thresholdedrelu', 'hardsigmoid', 'softsign', 'sigmoid', 'tanh']) {
      expect(count((a) => (a.activations ?? []).some((f) => f.toLowerCase() === name)), name).toBeGreaterThan(8);
    }
    expect(count((a) => a.activationAlpha !== null || a.activationBeta !== null)).toBeGreaterThan(20);
    const withStates = host.filter(ok).filter((c) => 'y_h' in (c.expect as { outputs: Record<string, unknown> }).outputs && 'y_c' in (c.expect as { outputs: Record<string, unknown> }).outputs);
    expect(withStates.length, 'every case with outputs records Y_h and Y_c').toBe(host.filter(ok).length);
  });

  it("hold Haswell cases whose Y follows MLAS's int16 pair saturation (int32_wrap would differ) and none on the host", () => {
    const decides = (c: Case) => {
      const a = args(c);
      return a.w.dtype === 'qint8' && yHex({ ...a, accumulator: 'sat16_pairs_im2col' }) !== yHex({ ...a, accumulator: 'int32_wrap' });
    };
    const hs = haswell.filter(ok);
    expect(hs.filter((c) => c.attrs.accumulator === 'sat16_pairs_im2col' && decides(c)).length).toBeGreaterThan(8);
    expect(hs.filter((c) => args(c).w.dtype === 'qint8').every((c) => c.attrs.accumulator === 'sat16_pairs_im2col')).toBe(true);
    expect(host.filter(ok).every((c) => c.attrs.accumulator === 'int32_wrap')).toBe(true);
    expect(host.filter(ok).filter(decides).length, 'host cases where saturating would change Y: the host computes exactly').toBeGreaterThan(30);
  });
});
