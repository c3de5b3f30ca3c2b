/**
 * The ONNX integer ops reject bad input with the contract's typed error, in reference/ and impl/ alike: bad
 * shapes, zero point and scale problems, dtype combinations ORT 1.30 does not register, the accumulator rules,
 * and the size limits of contract/limits.ts (MAX_MATMUL_MACS, MAX_TENSOR_ELEMENTS, MAX_CONV_MACS), checked
 * before anything of that size is allocated. Each row also passes with its one defect removed (the base call).
 */
import { describe, expect, it } from 'vitest';
import { MAX_CONV_MACS, MAX_MATMUL_MACS, MAX_TENSOR_ELEMENTS } from '../../contract/limits.js';
import type { ConvIntegerArgs, MatMulIntegerArgs, QGemmArgs, QLinearBinaryArgs, QLinearMatMulArgs } from '../../contract/onnx_qops.js';
import { f32Tensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { type BadInputRow, f32, itRefusesEveryRow, row, s8, u8 } from '../support/onnx_qop_bad_input_rows.js';

/** A large tensor of zeros (each within MAX_TENSOR_ELEMENTS; the work is what the limit refuses, before any arithmetic). */
const big = (dtype: 'quint8' | 'qint8', shape: number[]) => (dtype === 'quint8' ? u8(shape, 0) : s8(shape, 0));

const MATMUL: MatMulIntegerArgs = { a: u8([2, 3]), b: s8([3, 4]), aZeroPoint: u8([], 1), bZeroPoint: s8([4], 0), accumulator: 'int32_wrap' };
const QLINEAR: QLinearMatMulArgs = {
  a: u8([2, 3]), aScale: f32([], 0.5), aZeroPoint: u8([], 1), b: s8([3, 4]), bScale: f32([4], 0.1, 0.2, 0.3, 0.4), bZeroPoint: s8([4], 0),
  yScale: f32([], 0.25), yZeroPoint: u8([], 128), accumulator: 'int32_wrap',
};
const QGEMM: QGemmArgs = {
  a: u8([2, 3]), aScale: f32([], 0.5), aZeroPoint: u8([], 1), b: s8([3, 4]), bScale: f32([], 0.1), bZeroPoint: s8([], 0), c: intTensor('int32', [4], [1, 2, 3, 4]),
  yScale: f32([], 0.25), yZeroPoint: u8([], 128), transA: false, transB: false, alpha: 1, accumulator: 'int32_wrap',
};
const CONV: ConvIntegerArgs = { x: u8([1, 2, 4, 4]), w: s8([3, 2, 2, 2]), xZeroPoint: u8([], 1), wZeroPoint: s8([], 0), strides: [1, 1], pads: [0, 1, 0, 1], dilations: [1, 1], group: 1, accumulator: 'int32_wrap' };

const BINARY: QLinearBinaryArgs = { a: u8([2, 3]), aScale: f32([], 0.5), aZeroPoint: u8([], 1), b: u8([3]), bScale: f32([], 0.25), bZeroPoint: u8([], 2), cScale: f32([], 0.5), cZeroPoint: u8([], 128) };


const ROWS: readonly BadInputRow[] = [
  row('matmul: K mismatch', 'shape_mismatch', ['matmul_integer', "a's K (3) must equal b's K (4)"], (o) => o.matmulInteger({ ...MATMUL, b: s8([4, 4]) })),
  row('matmul: batch dims that do not broadcast', 'shape_mismatch', ['must broadcast'], (o) => o.matmulInteger({ ...MATMUL, a: u8([2, 2, 3]), b: s8([3, 3, 4]), bZeroPoint: null })),
  row('matmul: an empty batch of b against a missing dim (ORT 1.30 refuses)', 'shape_mismatch', ['must broadcast', 'right operand cannot broadcast on dim 0'], (o) => o.matmulInteger({ ...MATMUL, a: u8([2, 3]), b: s8([0, 3, 4]), bZeroPoint: null })),
  row('matmul: an empty batch dim of a against b\'s 1 (ORT 1.30 refuses)', 'shape_mismatch', ['left operand cannot broadcast on dim 1'], (o) => o.matmulInteger({ ...MATMUL, a: u8([1, 0, 2, 3]), b: s8([3, 1, 3, 4]), bZeroPoint: null })),
  row('matmul: M = 0 with a 1-D b (ORT 1.30 broadcasts M against 1)', 'shape_mismatch', ['left operand cannot broadcast on dim 0'], (o) => o.matmulInteger({ ...MATMUL, a: u8([0, 3]), b: s8([3]), bZeroPoint: null })),
  row('matmul: per-row a zero point (ORT refuses)', 'shape_mismatch', ['a_zero_point', 'IsScalarOr1ElementVector'], (o) => o.matmulInteger({ ...MATMUL, aZeroPoint: u8([2], 1) })),
  row('matmul: [N] b zero point of a 3-D b (ORT refuses)', 'shape_mismatch', ['IsBQuantParamSupported'], (o) => o.matmulInteger({ ...MATMUL, a: u8([2, 2, 3]), b: s8([2, 3, 4]) })),
  row('matmul: zero point of the wrong dtype', 'invalid_dtype', ['b_zero_point.dtype', 'quint8'], (o) => o.matmulInteger({ ...MATMUL, bZeroPoint: u8([4], 0) })),
  row('matmul: zero point outside its dtype', 'invalid_integer', ['a_zero_point[0]', '300'], (o) => o.matmulInteger({ ...MATMUL, aZeroPoint: intTensor('quint8', [], [300]) })),
  row('matmul: value outside its dtype', 'invalid_integer', ['matmul_integer: b[0]', '200'], (o) => o.matmulInteger({ ...MATMUL, b: intTensor('qint8', [3, 4], [200, ...new Array(11).fill(0)]) })),
  row('matmul: int32 operand', 'invalid_dtype', ['a.dtype', 'int32'], (o) => o.matmulInteger({ ...MATMUL, a: intTensor('int32', [2, 3], [1, 2, 3, 4, 5, 6]) })),
  row('matmul: K = 0 with a non-empty output (ORT leaves it unwritten)', 'shape_mismatch', ['K = 0 with a non-empty output', 'never writes the output'], (o) => o.matmulInteger({ ...MATMUL, a: u8([2, 0]), b: s8([0, 4]), bZeroPoint: null })),
  row('qgemm: K = 0 with a non-empty output (ORT leaves it unwritten)', 'shape_mismatch', ['K = 0 with a non-empty output'], (o) => o.qgemm({ ...QGEMM, a: u8([2, 0]), b: s8([0, 4]) })),
  row('matmul: unknown accumulator', 'unknown_scheme', ['accumulator', 'sat16_pairs'], (o) => o.matmulInteger({ ...MATMUL, accumulator: 'sat16_pairs' as never })),
  row('matmul: sat16_pairs_im2col on u8 x u8', 'unsupported_by_scheme', ['u8 x s8'], (o) => o.matmulInteger({ ...MATMUL, b: u8([3, 4]), bZeroPoint: null, accumulator: 'sat16_pairs_im2col' })),
  row('matmul: more than MAX_MATMUL_MACS', 'too_large', [`MAX_MATMUL_MACS = ${MAX_MATMUL_MACS}`], (o) => o.matmulInteger({ ...MATMUL, a: big('quint8', [1024, 2048]), b: big('qint8', [2048, 1024]), aZeroPoint: null, bZeroPoint: null })),
  row('matmul: a batched output beyond MAX_TENSOR_ELEMENTS', 'too_large', ['MAX_TENSOR_ELEMENTS'], (o) => o.matmulInteger({ ...MATMUL, a: big('quint8', [4096, 1024, 1]), b: big('qint8', [1, 2]), aZeroPoint: null, bZeroPoint: null })),
  row('qlinear_matmul: s8 x u8 (not registered by ORT)', 'invalid_dtype', ['b.dtype', 'u8 x u8, u8 x s8, s8 x s8'], (o) => o.qlinearMatMul({ ...QLINEAR, a: s8([2, 3]), aZeroPoint: s8([], 0), yZeroPoint: s8([], 0), b: u8([3, 4]), bZeroPoint: u8([4], 0) })),
  row('qlinear_matmul: y_scale 0', 'scale_not_positive', ['y_scale[0]', 'got 0'], (o) => o.qlinearMatMul({ ...QLINEAR, yScale: f32([], 0) })),
  row('qlinear_matmul: NaN b scale', 'scale_not_finite', ['b_scale[2]', 'NaN'], (o) => o.qlinearMatMul({ ...QLINEAR, bScale: f32([4], 0.1, 0.2, Number.NaN, 0.4) })),
  row('qlinear_matmul: two-element a_scale', 'shape_mismatch', ['a_scale'], (o) => o.qlinearMatMul({ ...QLINEAR, aScale: f32([2], 0.5, 0.5) })),
  row('qlinear_matmul: a b zero point IsBQuantParamSupported refuses ([2, 4] for a 2-D b; its scale is one element)', 'shape_mismatch', ['b_zero_point', 'IsBQuantParamSupported'], (o) => o.qlinearMatMul({ ...QLINEAR, bZeroPoint: s8([2, 4], 0) })),
  row('qlinear_matmul: y zero point of the wrong dtype', 'invalid_dtype', ['y_zero_point.dtype'], (o) => o.qlinearMatMul({ ...QLINEAR, yZeroPoint: s8([], 0) })),
  row('qgemm: C of a shape that does not broadcast', 'shape_mismatch', ['qgemm: c', '[M, 1]'], (o) => o.qgemm({ ...QGEMM, c: intTensor('int32', [3], [1, 2, 3]) })),
  row('qgemm: y_scale without y_zero_point', 'shape_mismatch', ['given together'], (o) => o.qgemm({ ...QGEMM, yZeroPoint: null })),
  row('qgemm: transposed b of the wrong K', 'shape_mismatch', ["b's K (4)"], (o) => o.qgemm({ ...QGEMM, transB: true })),
  row('qgemm: 3-D a', 'shape_mismatch', ['a and b are 2-D'], (o) => o.qgemm({ ...QGEMM, a: u8([1, 2, 3]) })),
  row('qgemm: b scale of neither 1 nor N elements', 'shape_mismatch', ['b_scale', 'N = 4'], (o) => o.qgemm({ ...QGEMM, bScale: f32([2], 0.1, 0.1), bZeroPoint: s8([2], 0) })),
  // a non-finite alpha (or one that rounds to +-inf in float32) is no defect: ORT 1.30 computes with it
  // (tests/backends/ort_qgemm_alpha.test.ts); only an alpha that is not a number is
  row('qgemm: alpha a string', 'malformed_request', ['qgemm: alpha', '"1"'], (o) => o.qgemm({ ...QGEMM, alpha: '1' as unknown as number })),
  row('qgemm: float C', 'invalid_dtype', ['c.dtype'], (o) => o.qgemm({ ...QGEMM, c: f32Tensor([4], [1, 2, 3, 4]) as never })),
  row('conv_integer: per-channel w zero point (ORT refuses)', 'shape_mismatch', ['w_zero_point'], (o) => o.convInteger({ ...CONV, wZeroPoint: s8([3], 0) })),
  row('conv_integer: channels that group does not divide', 'invalid_geometry', ['group'], (o) => o.convInteger({ ...CONV, group: 3 })),
  row('conv_integer: weight channels mismatch', 'shape_mismatch', ['w is [M >= 1, 2'], (o) => o.convInteger({ ...CONV, w: s8([3, 1, 2, 2]) })),
  row('conv_integer: three pads', 'invalid_geometry', ['pads'], (o) => o.convInteger({ ...CONV, pads: [0, 0, 0] as never })),
  row('conv_integer: stride 0', 'invalid_geometry', ['strides'], (o) => o.convInteger({ ...CONV, strides: [0, 1] })),
  row('conv_integer: kernel larger than the padded input', 'empty_output', ['output shape'], (o) => o.convInteger({ ...CONV, w: s8([3, 2, 6, 2]) })),
  row('conv_integer: sat16_pairs_im2col on u8 activations x s8 weights (A = w is signed)', 'unsupported_by_scheme', ['its A quint8'], (o) => o.convInteger({ ...CONV, accumulator: 'sat16_pairs_im2col' })),
  row('conv_integer: 3-D input', 'shape_mismatch', ['2-D convs only'], (o) => o.convInteger({ ...CONV, x: u8([1, 2, 4]) })),
  row('conv_integer: more than MAX_CONV_MACS', 'too_large', [`MAX_CONV_MACS = ${MAX_CONV_MACS}`], (o) => o.convInteger({ ...CONV, x: big('quint8', [1, 256, 64, 64]), w: big('qint8', [256, 256, 3, 3]), pads: [1, 1, 1, 1], xZeroPoint: null, wZeroPoint: null })),
  row('qlinear_add: b of another dtype', 'invalid_dtype', ['b.dtype'], (o) => o.qlinearAdd({ ...BINARY, b: s8([3]), bZeroPoint: s8([], 0) })),
  row('qlinear_add: a [1] scale (ORT type inference wants a scalar)', 'shape_mismatch', ['a_scale', 'Scale and Zero-point must be a scalar'], (o) => o.qlinearAdd({ ...BINARY, aScale: f32([1], 0.5) })),
  row('qlinear_add: shapes that do not broadcast', 'shape_mismatch', ['qlinear_add: a, b', 'shapes that broadcast'], (o) => o.qlinearAdd({ ...BINARY, b: u8([4]) })),
  row('qlinear_add: a broadcast output of more than MAX_TENSOR_ELEMENTS ([2048, 1] with [1, 4096])', 'too_large', ['output elements', `MAX_TENSOR_ELEMENTS = ${MAX_TENSOR_ELEMENTS}`], (o) => o.qlinearAdd({ ...BINARY, a: big('quint8', [2048, 1]), b: big('quint8', [1, 4096]) })),
  row('qlinear_mul: c_scale 0', 'scale_not_positive', ['c_scale[0]', 'got 0'], (o) => o.qlinearMul({ ...BINARY, cScale: f32([], 0) })),
  row('qlinear_mul: zero point outside its dtype', 'invalid_integer', ['c_zero_point[0]', '256'], (o) => o.qlinearMul({ ...BINARY, cZeroPoint: intTensor('quint8', [], [256]) })),
  row('qlinear_mul: int32 operands', 'invalid_dtype', ['a.dtype', 'int32'], (o) => o.qlinearMul({ ...BINARY, a: intTensor('int32', [3], [1, 2, 3]) })),
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`ONNX integer ops refuse bad input with typed errors [${name}]`, () => {
    it('the base calls are accepted (so each row has exactly one defect)', () => {
      expect(ops.matmulInteger(MATMUL).shape).toEqual([2, 4]);
      expect(ops.qlinearMatMul(QLINEAR).shape).toEqual([2, 4]);
      expect(ops.qgemm(QGEMM).shape).toEqual([2, 4]);
      expect(ops.convInteger(CONV).shape).toEqual([1, 3, 3, 5]);
      expect(ops.qlinearAdd(BINARY).shape).toEqual([2, 3]);
      expect(ops.qlinearMul(BINARY).shape).toEqual([2, 3]);
    });
    itRefusesEveryRow(ROWS, ops);
  });
}
