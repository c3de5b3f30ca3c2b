/**
 * matmul_integer_to_float@1 and dynamic_quantize_matmul@1 reject bad input with the contract's typed error, in
 * reference/ and impl/ alike: what ORT 1.30 refuses (dtype combinations it does not register, per-row a zero points,
 * K mismatches, a bias that is not N long), scales ScaleOutput cannot broadcast to the output, what qconform does not
 * model (non-finite biases, an output scale that overflows float32) and DynamicQuantizeMatMul's NaN input. Each row also
 * passes with its one defect removed (the base call).
 */
import { describe, expect, it } from 'vitest';
import type { DynamicQuantizeMatMulArgs, MatMulIntegerToFloatArgs } from '../../contract/onnx_qops.js';
import { intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { type BadInputRow, f32, itRefusesEveryRow, row, s8, u8 } from '../support/onnx_qop_bad_input_rows.js';


const MITF: MatMulIntegerToFloatArgs = {
  a: u8([2, 3]), b: s8([3, 4]), aScale: f32([], 0.5), bScale: f32([4], 0.1, 0.2, 0.3, 0.4), aZeroPoint: u8([], 1), bZeroPoint: s8([], 0),
  bias: f32([4], 1, 2, 3, 4), accumulator: 'int32_wrap',
};
const DQMM: DynamicQuantizeMatMulArgs = { a: f32([2, 3], 1, -2, 3, 0.5, 0, 6), b: s8([3, 4]), bScale: f32([], 0.1), bZeroPoint: s8([1, 4], 0), bias: f32([1, 4], 1, 2, 3, 4), accumulator: 'int32_wrap' };


const ROWS: readonly BadInputRow[] = [
  row('mitf: s8 x u8 (not registered by ORT)', 'invalid_dtype', ['matmul_integer_to_float: b.dtype', 'int8 a with an int8 b'], (o) => o.matmulIntegerToFloat({ ...MITF, a: s8([2, 3]), aZeroPoint: s8([], 0), b: u8([3, 4]), bZeroPoint: null })),
  row('mitf: K mismatch', 'shape_mismatch', ["a's K (3) must equal b's K (4)"], (o) => o.matmulIntegerToFloat({ ...MITF, b: s8([4, 4]) })),
  row('mitf: an a_scale ScaleOutput cannot broadcast to the output ([3, 1] rows for M = 2)', 'shape_mismatch', ['a_scale', 'ScaleOutput'], (o) => o.matmulIntegerToFloat({ ...MITF, aScale: f32([3, 1], 0.5, 0.25, 1) })),
  row('mitf: per-row a zero point (ORT refuses)', 'shape_mismatch', ['a_zero_point'], (o) => o.matmulIntegerToFloat({ ...MITF, aZeroPoint: u8([2], 1) })),
  row('mitf: a b_scale of a higher rank than the output whose extra leading dimension is not 1 ([2, 1, 4] for a [2, 4] output)', 'shape_mismatch', ['b_scale', 'ScaleOutput', 'past its output buffer'], (o) => o.matmulIntegerToFloat({ ...MITF, bScale: f32([2, 1, 4], 1, 1, 1, 1, 1, 1, 1, 1) })),
  row('dqmm: a b_scale ScaleOutput cannot broadcast ([3, 1] rows for M = 2)', 'shape_mismatch', ['b_scale', 'ScaleOutput'], (o) => o.dynamicQuantizeMatMul({ ...DQMM, bScale: f32([3, 1], 1, 1, 1) })),
  row('mitf: zero point of the wrong dtype', 'invalid_dtype', ['a_zero_point.dtype'], (o) => o.matmulIntegerToFloat({ ...MITF, aZeroPoint: s8([], 0) })),
  row('mitf: bias of 3 elements for N = 4', 'shape_mismatch', ['bias', 'N elements'], (o) => o.matmulIntegerToFloat({ ...MITF, bias: f32([3], 1, 2, 3) })),
  row('mitf: infinite bias', 'bias_not_finite', ['bias[1]'], (o) => o.matmulIntegerToFloat({ ...MITF, bias: f32([4], 1, Number.POSITIVE_INFINITY, 3, 4) })),
  row('mitf: int32 bias', 'invalid_dtype', ['bias.dtype'], (o) => o.matmulIntegerToFloat({ ...MITF, bias: intTensor('int32', [4], [1, 2, 3, 4]) as never })),
  row('mitf: b_scale 0', 'scale_not_positive', ['b_scale[1]'], (o) => o.matmulIntegerToFloat({ ...MITF, bScale: f32([4], 0.1, 0, 0.3, 0.4) })),
  row('mitf: a_scale * b_scale overflows float32', 'scale_not_finite', ['a_scale * b_scale', 'NaN (0 * inf)'], (o) => o.matmulIntegerToFloat({ ...MITF, aScale: f32([], 1e30), bScale: f32([], 1e30) })),
  row('mitf: sat16_pairs_im2col on s8 x s8', 'unsupported_by_scheme', ['u8 x s8'], (o) => o.matmulIntegerToFloat({ ...MITF, a: s8([2, 3]), aZeroPoint: null, accumulator: 'sat16_pairs_im2col' })),
  row('dqmm: NaN in a', 'nan_input', ['dynamic_quantize_matmul: a[2]'], (o) => o.dynamicQuantizeMatMul({ ...DQMM, a: f32([2, 3], 1, 2, Number.NaN, 4, 5, 6) })),
  row('dqmm: an integer a', 'invalid_dtype', ['a.dtype', 'float32'], (o) => o.dynamicQuantizeMatMul({ ...DQMM, a: u8([2, 3]) as never })),
  row('dqmm: infinite a (a_scale is inf, so is the output scale)', 'scale_not_finite', ['dynamic_quantize_matmul: a_scale * b_scale'], (o) => o.dynamicQuantizeMatMul({ ...DQMM, a: f32([2, 3], 1, 2, Number.POSITIVE_INFINITY, 4, 5, 6) })),
  row('dqmm: b zero point of the wrong dtype', 'invalid_dtype', ['b_zero_point.dtype'], (o) => o.dynamicQuantizeMatMul({ ...DQMM, bZeroPoint: u8([], 0) })),
  row('dqmm: bias of N + 1 elements', 'shape_mismatch', ['bias'], (o) => o.dynamicQuantizeMatMul({ ...DQMM, bias: f32([5], 1, 2, 3, 4, 5) })),
  row('dqmm: per-row b zero point shape of a 2-D b', 'shape_mismatch', ['b_zero_point'], (o) => o.dynamicQuantizeMatMul({ ...DQMM, bZeroPoint: s8([3, 1], 0) })),
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`matmul_integer_to_float / dynamic_quantize_matmul refuse bad input with typed errors [${name}]`, () => {
    it('the base calls are accepted (so each row has exactly one defect)', () => {
      expect(ops.matmulIntegerToFloat(MITF).shape).toEqual([2, 4]);
      expect(ops.dynamicQuantizeMatMul(DQMM).shape).toEqual([2, 4]);
      expect(ops.matmulIntegerToFloat({ ...MITF, a: s8([2, 3]), aZeroPoint: null, accumulator: 'int32_wrap' }).shape).toEqual([2, 4]);
      expect(ops.matmulIntegerToFloat({ ...MITF, aScale: f32([2, 1], 0.5, 0.25) }).shape).toEqual([2, 4]); // ScaleOutput by rows
      expect(ops.dynamicQuantizeMatMul({ ...DQMM, bScale: f32([2, 1], 1, 2) }).shape).toEqual([2, 4]);
    });
    itRefusesEveryRow(ROWS, ops);
  });
}
