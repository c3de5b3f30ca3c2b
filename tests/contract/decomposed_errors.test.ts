/**
 * PT2E's quantized_decomposed ops (decomposed_*@1) refuse bad input with a typed error, the same on the reference and
 * the impl: the dtype argument, an input of another dtype, the quant range against the dtype and validate_qmin_qmax,
 * the axis, per-channel parameter shapes and dtypes, invalid scales, an empty or NaN input of choose_qparams.
 */
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../contract/errors.js';
import type { QuantOps } from '../../contract/ops.js';
import { f32Tensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { expectQconformError } from '../support/qconform_error_assertions.js';

const range = { quantMin: 0, quantMax: 255, dtype: 'quint8' as const };
const q = intTensor('quint8', [2, 2], [0, 3, 255, 7]);
const x = f32Tensor([2, 2], [0.5, -1, 2, 3]);
const scales = f32Tensor([2], [0.1, 0.25]);
const zps = intTensor('int64', [2], [3, 4]);

const CASES: ReadonlyArray<[string, (ops: QuantOps) => unknown, ErrorCode, string[]]> = [
  ['dequantize_per_tensor: q of another dtype', (o) => o.decomposedDequantizePerTensor(intTensor('qint8', [1], [1]), { scale: 0.1, zeroPoint: 0, ...range }), 'invalid_dtype', ['q.dtype']],
  ['dequantize_per_tensor: dtype qint32', (o) => o.decomposedDequantizePerTensor(q, { scale: 0.1, zeroPoint: 0, ...range, dtype: 'qint32' }), 'invalid_dtype', ['dtype']],
  ['dequantize_per_tensor: a zero scale', (o) => o.decomposedDequantizePerTensor(q, { scale: 0, zeroPoint: 0, ...range }), 'scale_not_positive', ['scale']],
  ['dequantize_per_tensor: a NaN scale', (o) => o.decomposedDequantizePerTensor(q, { scale: Number.NaN, zeroPoint: 0, ...range }), 'scale_not_finite', ['scale']],
  ['quantize_per_channel: a range outside uint8', (o) => o.decomposedQuantizePerChannel(x, scales, zps, { axis: 0, ...range, quantMin: -1 }), 'quant_range_outside_dtype', ['quant_min']],
  ['quantize_per_channel: axis past the rank', (o) => o.decomposedQuantizePerChannel(x, scales, zps, { axis: 2, ...range }), 'axis_out_of_range', ['axis']],
  ['quantize_per_channel: an axis below -rank', (o) => o.decomposedQuantizePerChannel(x, scales, zps, { axis: -3, ...range }), 'axis_out_of_range', ['axis', 'at least -2']],
  ['dequantize_per_channel: a 0-dim q has no axis', (o) => o.decomposedDequantizePerChannel(intTensor('quint8', [], [1]), f32Tensor([1], [0.1]), null, { axis: -1, ...range }), 'axis_out_of_range', ['axis']],
  ['quantize_per_channel: three scales for two channels (no broadcast)', (o) => o.decomposedQuantizePerChannel(x, f32Tensor([3], [0.1, 0.2, 0.3]), intTensor('int64', [3], [1, 2, 3]), { axis: 0, ...range }), 'shape_mismatch', ['scales', 'must be equal or one of them 1']],
  ['quantize_per_channel: a 0-dim scales', (o) => o.decomposedQuantizePerChannel(x, f32Tensor([], [0.1]), intTensor('int64', [], [3]), { axis: 0, ...range }), 'shape_mismatch', ['scales', 'at least one dimension']],
  ['quantize_per_channel: scales [1, 2] (viewed as [1, 1])', (o) => o.decomposedQuantizePerChannel(x, f32Tensor([1, 2], [0.1, 0.25]), zps, { axis: 0, ...range }), 'shape_mismatch', ['scales', 'scales.shape[0] = 1']],
  ['quantize_per_channel: one zero point for two scales', (o) => o.decomposedQuantizePerChannel(x, scales, intTensor('int64', [1], [3]), { axis: 0, ...range }), 'shape_mismatch', ['zero_points']],
  ['quantize_per_channel: quant_max above uint8 with quant_min > quant_max', (o) => o.decomposedQuantizePerChannel(x, scales, zps, { axis: 0, ...range, quantMin: 300, quantMax: 256 }), 'quant_range_outside_dtype', ['quant_max', 'above the quint8 maximum 255']],
  ['quantize_per_tensor: quant_min below int8', (o) => o.decomposedQuantizePerTensor(x, { scale: 0.1, zeroPoint: 0, quantMin: -129, quantMax: -200, dtype: 'qint8' }), 'quant_range_outside_dtype', ['quant_min', 'below the qint8 minimum -128']],
  ['quantize_per_channel: qint8 zero points', (o) => o.decomposedQuantizePerChannel(x, scales, intTensor('qint8', [2], [1, 2]), { axis: 0, ...range }), 'invalid_dtype', ['zero_points.dtype']],
  ['quantize_per_channel: a negative scale', (o) => o.decomposedQuantizePerChannel(x, f32Tensor([2], [0.1, -1]), zps, { axis: 0, ...range }), 'scale_not_positive', ['scales[1]']],
  ['dequantize_per_channel: q of another dtype', (o) => o.decomposedDequantizePerChannel(intTensor('qint8', [2], [1, 2]), scales, null, { axis: 0, ...range }), 'invalid_dtype', ['q.dtype']],
  ['dequantize_per_channel: quant_max above int8', (o) => o.decomposedDequantizePerChannel(intTensor('qint8', [2], [1, 2]), scales, null, { axis: 0, quantMin: -128, quantMax: 200, dtype: 'qint8' }), 'quant_range_outside_dtype', ['quant_max']],
  ['choose_qparams: a range without 0', (o) => o.decomposedChooseQparams(x, { quantMin: 1, quantMax: 255, eps: 2 ** -12, dtype: 'quint8' }), 'quant_range_excludes_zero', ['quant_min']],
  ['choose_qparams: quant_min = quant_max', (o) => o.decomposedChooseQparams(x, { quantMin: 0, quantMax: 0, eps: 2 ** -12, dtype: 'quint8' }), 'quant_range_not_increasing', []],
  ['choose_qparams: an empty x', (o) => o.decomposedChooseQparams(f32Tensor([0], []), { quantMin: 0, quantMax: 255, eps: 2 ** -12, dtype: 'quint8' }), 'shape_mismatch', ['aminmax']],
  ['choose_qparams: NaN in x', (o) => o.decomposedChooseQparams(f32Tensor([2], [1, Number.NaN]), { quantMin: 0, quantMax: 255, eps: 2 ** -12, dtype: 'quint8' }), 'nan_observed', []],
];

describe('quantized_decomposed ops refuse bad input with typed errors', () => {
  for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
    for (const [what, run, code, mentions] of CASES) it(`[${name}] ${what} -> ${code}`, () => expectQconformError(() => run(ops), code, mentions));
  }
  it('compute quant_min > quant_max as torch 2.6 does (clamp gives quant_max; below the dtype it wraps), reference and impl alike', () => {
    for (const ops of [reference, impl]) {
      expect(Array.from(ops.decomposedQuantizePerTensor(x, { scale: 0.1, zeroPoint: 0, quantMin: 10, quantMax: 5, dtype: 'quint8' }).data)).toEqual([5, 5, 5, 5]);
      expect(Array.from(ops.decomposedQuantizePerChannel(x, scales, zps, { axis: -1, quantMin: 300, quantMax: -5, dtype: 'quint8' }).data)).toEqual([251, 251, 251, 251]);
      expect(Array.from(ops.decomposedDequantizePerChannel(q, scales, null, { axis: 0, quantMin: 200, quantMax: 100, dtype: 'quint8' }).data)).toEqual([0, Math.fround(0.3), Math.fround(63.75), 1.75]);
    }
  });

  it('answer the valid forms, reference and impl alike (zero points absent: torch None)', () => {
    for (const ops of [reference, impl]) {
      expect(Array.from(ops.decomposedDequantizePerChannel(q, scales, null, { axis: 0, ...range }).data)).toEqual([0, Math.fround(0.3), Math.fround(63.75), 1.75]);
      expect(Array.from(ops.decomposedChooseQparams(x, { quantMin: 0, quantMax: 255, eps: 2 ** -12, dtype: 'quint8' }).zeroPoint.data)).toEqual([64]);
    }
  });
});
