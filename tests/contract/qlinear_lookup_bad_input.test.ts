/**
 * qlinear_leaky_relu@1 and qlinear_sigmoid@1 reject bad input with the contract's typed error, in reference/ and
 * impl/ alike (contract/qlinear_lookup_checks.ts). Each row also passes with its one defect removed (the base call).
 */
import { describe, expect, it } from 'vitest';
import type { QLinearLeakyReluArgs, QLinearLookupArgs } from '../../contract/onnx_qops.js';
import { intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { type BadInputRow, f32, itRefusesEveryRow, row, s8, u8 } from '../support/onnx_qop_bad_input_rows.js';


const LOOKUP: QLinearLookupArgs = { x: u8([2, 3]), xScale: f32([], 0.1), xZeroPoint: u8([1], 128), yScale: f32([1], 1 / 256), yZeroPoint: null };
const LEAKY: QLinearLeakyReluArgs = { ...LOOKUP, alpha: 0.1 };


const ROWS: readonly BadInputRow[] = [
  row('sigmoid: int32 x', 'invalid_dtype', ['qlinear_sigmoid: x.dtype', 'quint8'], (o) => o.qlinearSigmoid({ ...LOOKUP, x: intTensor('int32', [2], [1, 2]) })),
  row('sigmoid: value outside its dtype', 'invalid_integer', ['qlinear_sigmoid: x[0]', '300'], (o) => o.qlinearSigmoid({ ...LOOKUP, x: intTensor('quint8', [1], [300]) })),
  row('sigmoid: x_scale of two elements', 'shape_mismatch', ['x_scale', 'IsScalarOr1ElementVector'], (o) => o.qlinearSigmoid({ ...LOOKUP, xScale: f32([2], 0.1, 0.2) })),
  row('sigmoid: y_scale of shape [1, 1]', 'shape_mismatch', ['y_scale', 'scalar or a 1-D tensor'], (o) => o.qlinearSigmoid({ ...LOOKUP, yScale: f32([1, 1], 0.1) })),
  row('sigmoid: x_scale 0', 'scale_not_positive', ['x_scale[0]'], (o) => o.qlinearSigmoid({ ...LOOKUP, xScale: f32([], 0) })),
  row('sigmoid: y_scale NaN', 'scale_not_finite', ['y_scale[0]'], (o) => o.qlinearSigmoid({ ...LOOKUP, yScale: f32([], Number.NaN) })),
  row('sigmoid: zero point of the other dtype', 'invalid_dtype', ['x_zero_point.dtype', 'quint8'], (o) => o.qlinearSigmoid({ ...LOOKUP, xZeroPoint: s8([], 0) })),
  row('sigmoid: zero point outside its dtype', 'invalid_integer', ['y_zero_point[0]', '256'], (o) => o.qlinearSigmoid({ ...LOOKUP, yZeroPoint: intTensor('quint8', [], [256]) })),
  row('sigmoid: per-channel zero point', 'shape_mismatch', ['y_zero_point'], (o) => o.qlinearSigmoid({ ...LOOKUP, yZeroPoint: u8([3], 0) })),
  // a non-finite alpha (or one that rounds to +-inf in float32) is no defect: ORT 1.30 computes with it
  // (tests/backends/ort_leaky_relu_alpha.test.ts); only an alpha that is not a number is
  row('leaky relu: alpha a string', 'malformed_request', ['qlinearLeakyRelu: alpha', '"0.1"'], (o) => o.qlinearLeakyRelu({ ...LEAKY, alpha: '0.1' as unknown as number })),
  row('leaky relu: x_scale infinite', 'scale_not_finite', ['qlinear_leaky_relu: x_scale[0]'], (o) => o.qlinearLeakyRelu({ ...LEAKY, xScale: f32([], Number.POSITIVE_INFINITY) })),
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`QLinearLeakyRelu / QLinearSigmoid refuse bad input with typed errors [${name}]`, () => {
    it('the base calls are accepted (so each row has exactly one defect)', () => {
      expect(ops.qlinearSigmoid(LOOKUP).shape).toEqual([2, 3]);
      expect(ops.qlinearLeakyRelu(LEAKY).shape).toEqual([2, 3]);
      expect(ops.qlinearSigmoid({ ...LOOKUP, x: s8([4]), xZeroPoint: null, yZeroPoint: s8([], -128) }).dtype).toBe('qint8');
    });
    itRefusesEveryRow(ROWS, ops);
  });
}
