/**
 * QLinearGlobalAveragePool, QLinearAveragePool and QLinearConcat reject bad input with the contract's typed error,
 * in reference/ and impl/ alike: dtypes, scale and zero-point shapes and values (ORT 1.30's type inference and
 * IsScalarOr1ElementVector), MLAS's global-pool range (an image of 0 positions, and on empty inputs too, as ORT),
 * pool geometry (ranks, pads against kernels, negative pooled sizes and, channels_last, pooled sizes of 0, an empty x
 * with N > 0), concat shapes, axes and limits. Each row also passes with its one defect removed (the base calls).
 */
import { describe, expect, it } from 'vitest';
import type { QLinearAveragePoolArgs, QLinearConcatArgs, QLinearGlobalAveragePoolArgs } from '../../contract/onnx_qops.js';
import { intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { type BadInputRow, f32, itRefusesEveryRow, row, s8, u8 } from '../support/onnx_qop_bad_input_rows.js';


const GLOBAL: QLinearGlobalAveragePoolArgs = { x: u8([1, 3, 2, 2]), xScale: f32([], 0.5), xZeroPoint: u8([], 1), yScale: f32([1], 0.25), yZeroPoint: u8([], 128), channelsLast: false };
const POOL: QLinearAveragePoolArgs = {
  x: s8([1, 2, 4, 4]), xScale: f32([], 0.5), xZeroPoint: s8([], 1), yScale: f32([], 0.25), yZeroPoint: s8([], 0),
  kernelShape: [2, 3], strides: [1, 2], pads: [1, 0, 1, 2], autoPad: 'NOTSET', ceilMode: true, countIncludePad: false, channelsLast: false,
};
const CONCAT: QLinearConcatArgs = {
  yScale: f32([], 0.5), yZeroPoint: u8([], 128), axis: 1,
  inputs: [{ x: u8([2, 3]), scale: f32([], 0.5), zeroPoint: u8([], 128) }, { x: u8([2, 1]), scale: f32([1], 0.25), zeroPoint: u8([], 7) }],
};


const ROWS: readonly BadInputRow[] = [
  row('global: rank 2', 'shape_mismatch', ['x', 'rank >= 3'], (o) => o.qlinearGlobalAveragePool({ ...GLOBAL, x: u8([1, 3]) })),
  row('global: int32 input', 'invalid_dtype', ['x.dtype', 'int32'], (o) => o.qlinearGlobalAveragePool({ ...GLOBAL, x: intTensor('int32', [1, 1, 1], [1]) })),
  row('global: an image of 0 positions', 'unsupported_by_scheme', ['0 positions', 'parameter out of computation range'], (o) => o.qlinearGlobalAveragePool({ ...GLOBAL, x: u8([1, 3, 0, 2]) })),
  row('global: an empty input out of MLAS\'s range (ORT checks the scale anyway)', 'unsupported_by_scheme', ['computation range'], (o) => o.qlinearGlobalAveragePool({ ...GLOBAL, x: u8([0, 3, 2, 2]), yScale: f32([], 1e-6) })),
  row('pool: an empty x with N > 0', 'shape_mismatch', ['x', 'Only N can be zero'], (o) => o.qlinearAveragePool({ ...POOL, x: s8([1, 0, 4, 4]) })),
  row('global: two-element x_scale', 'shape_mismatch', ['x_scale', 'IsScalarOr1ElementVector'], (o) => o.qlinearGlobalAveragePool({ ...GLOBAL, xScale: f32([2], 0.5, 0.5) })),
  row('global: y_scale 0', 'scale_not_positive', ['y_scale[0]'], (o) => o.qlinearGlobalAveragePool({ ...GLOBAL, yScale: f32([], 0) })),
  row('global: zero point of the other dtype', 'invalid_dtype', ['y_zero_point.dtype', 'quint8'], (o) => o.qlinearGlobalAveragePool({ ...GLOBAL, yZeroPoint: s8([], 0) })),
  row('global: zero point outside its dtype', 'invalid_integer', ['x_zero_point[0]', '256'], (o) => o.qlinearGlobalAveragePool({ ...GLOBAL, xZeroPoint: intTensor('quint8', [], [256]) })),
  row('global: combined scale below 2^-32 (MLAS)', 'unsupported_by_scheme', ['out of computation range'], (o) => o.qlinearGlobalAveragePool({ ...GLOBAL, yScale: f32([], 2 ** 40) })),
  row('global: combined scale of 256 (MLAS)', 'unsupported_by_scheme', ['[2^-32, 256)'], (o) => o.qlinearGlobalAveragePool({ ...GLOBAL, xScale: f32([], 1024), yScale: f32([], 1) })),
  row('pool: [1] scale (ORT type inference)', 'shape_mismatch', ['x_scale', 'Scale and Zero-point must be a scalar'], (o) => o.qlinearAveragePool({ ...POOL, xScale: f32([1], 0.5) })),
  row('pool: [1] zero point (ORT type inference)', 'shape_mismatch', ['y_zero_point', 'scalar'], (o) => o.qlinearAveragePool({ ...POOL, yZeroPoint: s8([1], 0) })),
  row('pool: kernel rank 4', 'invalid_geometry', ['kernel_shape', '1 to 3'], (o) => o.qlinearAveragePool({ ...POOL, kernelShape: [1, 1, 1, 1], strides: [1, 1, 1, 1], pads: new Array(8).fill(0) })),
  row('pool: kernel rank against x rank', 'shape_mismatch', ['rank = 2 +'], (o) => o.qlinearAveragePool({ ...POOL, kernelShape: [2], strides: [1], pads: [0, 0] })),
  row('pool: pad as large as the kernel', 'invalid_geometry', ['Pad should be smaller than kernel'], (o) => o.qlinearAveragePool({ ...POOL, pads: [2, 0, 0, 0] })),
  row('pool: stride 0', 'invalid_geometry', ['strides', '>= 1'], (o) => o.qlinearAveragePool({ ...POOL, strides: [0, 1] })),
  row('pool: three pads for two dims', 'invalid_geometry', ['pads', '4 integers'], (o) => o.qlinearAveragePool({ ...POOL, pads: [0, 0, 0] })),
  row('pool: unknown auto_pad', 'invalid_geometry', ['auto_pad', 'SAME_UPPER'], (o) => o.qlinearAveragePool({ ...POOL, autoPad: 'SAME' as never })),
  row('pool: pads with auto_pad', 'invalid_geometry', ['pads', 'exclusive'], (o) => o.qlinearAveragePool({ ...POOL, autoPad: 'SAME_LOWER' })),
  row('pool: VALID kernel larger than the input, pooled size -1', 'empty_output', ['spatial dim 1', 'pooled size is negative'], (o) => o.qlinearAveragePool({ ...POOL, x: s8([1, 2, 4, 1]), strides: [1, 1], pads: [0, 0, 0, 0], autoPad: 'VALID', ceilMode: false })),
  row('pool: kernel larger than the padded input, pooled size -1', 'empty_output', ['spatial dim 0', 'pooled size is negative', 'Calculated output dimension is negative'], (o) => o.qlinearAveragePool({ ...POOL, x: s8([1, 2, 1, 4]), kernelShape: [3, 3], strides: [1, 1], pads: [0, 0, 0, 0], ceilMode: false })),
  row('pool: kernel larger than the padded input, pooled size -2 (ORT refuses it at session creation)', 'empty_output', ['spatial dim 0', 'pooled size is negative', 'Invalid dimension'], (o) => o.qlinearAveragePool({ ...POOL, x: s8([1, 2, 1, 4]), kernelShape: [4, 3], strides: [1, 1], pads: [0, 0, 0, 0], ceilMode: false })),
  row('pool: channels_last, pooled size 0 (ORT dies of SIGFPE)', 'empty_output', ['spatial dim 0', 'larger than the padded input', 'SIGFPE'], (o) => o.qlinearAveragePool({ ...POOL, x: s8([1, 2, 4, 2]), kernelShape: [3, 2], strides: [1, 1], pads: [0, 0, 0, 0], ceilMode: false, channelsLast: true })),
  row('pool: channels_last, pooled size 0 with N = 0 (ORT dies of SIGFPE)', 'empty_output', ['spatial dim 0', 'SIGFPE'], (o) => o.qlinearAveragePool({ ...POOL, x: s8([0, 2, 4, 2]), kernelShape: [3, 2], strides: [1, 1], pads: [0, 0, 0, 0], ceilMode: false, channelsLast: true })),
  row('pool: global shortcut out of MLAS range', 'unsupported_by_scheme', ['out of computation range'], (o) => o.qlinearAveragePool({ ...POOL, kernelShape: [4, 4], strides: [1, 1], pads: [0, 0, 0, 0], yScale: f32([], 2 ** 40) })),
  row('concat: no inputs', 'malformed_request', ['inputs', 'at least one'], (o) => o.qlinearConcat({ ...CONCAT, inputs: [] })),
  row('concat: input of the other dtype', 'invalid_dtype', ['x1.dtype', 'quint8'], (o) => o.qlinearConcat({ ...CONCAT, inputs: [CONCAT.inputs[0]!, { x: s8([2, 1]), scale: f32([], 1), zeroPoint: u8([], 0) }] })),
  row('concat: zero point of the other dtype', 'invalid_dtype', ['x0_zero_point.dtype'], (o) => o.qlinearConcat({ ...CONCAT, inputs: [{ ...CONCAT.inputs[0]!, zeroPoint: s8([], 0) }] })),
  row('concat: int32 y_zero_point', 'invalid_dtype', ['y_zero_point.dtype', 'int32'], (o) => o.qlinearConcat({ ...CONCAT, yZeroPoint: intTensor('int32', [], [0]) })),
  row('concat: dims differ off the axis', 'shape_mismatch', ['x1', 'equal dims except along axis 1'], (o) => o.qlinearConcat({ ...CONCAT, inputs: [CONCAT.inputs[0]!, { ...CONCAT.inputs[1]!, x: u8([3, 1]) }] })),
  row('concat: ranks differ', 'shape_mismatch', ['x1'], (o) => o.qlinearConcat({ ...CONCAT, inputs: [CONCAT.inputs[0]!, { ...CONCAT.inputs[1]!, x: u8([2, 1, 1]) }] })),
  row('concat: axis out of range', 'axis_out_of_range', ['attrs.axis', '2'], (o) => o.qlinearConcat({ ...CONCAT, axis: 2 })),
  row('concat: scalar inputs', 'shape_mismatch', ['x0', 'rank >= 1'], (o) => o.qlinearConcat({ ...CONCAT, axis: 0, inputs: [{ ...CONCAT.inputs[0]!, x: u8([]) }] })),
  row('concat: NaN scale', 'scale_not_finite', ['x1_scale[0]'], (o) => o.qlinearConcat({ ...CONCAT, inputs: [CONCAT.inputs[0]!, { ...CONCAT.inputs[1]!, scale: f32([], Number.NaN) }] })),
  row('concat: output beyond MAX_TENSOR_ELEMENTS', 'too_large', ['MAX_TENSOR_ELEMENTS'], (o) => o.qlinearConcat({ ...CONCAT, axis: 0, inputs: [0, 1].map(() => ({ x: u8([4_000_000], 0), scale: f32([], 0.5), zeroPoint: u8([], 128) })) })),
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: QLinearGlobalAveragePool, QLinearAveragePool, QLinearConcat refuse bad input with typed errors`, () => {
    it('accepts the base calls', () => {
      expect(ops.qlinearGlobalAveragePool(GLOBAL).shape).toEqual([1, 3, 1, 1]);
      expect(ops.qlinearGlobalAveragePool({ ...GLOBAL, channelsLast: true }).shape).toEqual([1, 1, 1, 2]);
      expect(ops.qlinearAveragePool(POOL).shape).toEqual([1, 2, 5, 2]);
      expect(ops.qlinearAveragePool({ ...POOL, pads: [0, 0, 0, 0], autoPad: 'SAME_UPPER' }).shape).toEqual([1, 2, 4, 2]);
      // a kernel larger than the padded input (ORT 1.30, tests/backends/ort_average_pool_overhang.test.ts): pooled size 0
      // is an empty y with channels_last 0; with a stride above 1 the size is 1, a window clipped to the image
      expect(ops.qlinearAveragePool({ ...POOL, x: s8([1, 2, 2, 4]), kernelShape: [3, 2], strides: [1, 1], pads: [0, 0, 0, 0], ceilMode: false }).shape).toEqual([1, 2, 0, 3]);
      expect(ops.qlinearAveragePool({ ...POOL, x: s8([0, 2, 2, 4]), kernelShape: [3, 2], strides: [1, 1], pads: [0, 0, 0, 0] }).shape).toEqual([0, 2, 0, 3]);
      expect(ops.qlinearAveragePool({ ...POOL, x: s8([1, 2, 2, 4]), kernelShape: [3, 2], strides: [2, 1], pads: [0, 0, 0, 0], ceilMode: false, channelsLast: true }).shape).toEqual([1, 1, 1, 4]);
      expect(ops.qlinearConcat(CONCAT).shape).toEqual([2, 4]);
    });
    itRefusesEveryRow(ROWS, ops);
    it('quotes the one ORT error of each negative pooled size: the kernel\'s for -1, the session\'s for -2 or less', () => {
      const messageOf = (kernel: number) => {
        try {
          ops.qlinearAveragePool({ ...POOL, x: s8([1, 2, 1, 4]), kernelShape: [kernel, 3], strides: [1, 1], pads: [0, 0, 0, 0], ceilMode: false });
        } catch (e) {
          return String(e);
        }
        return 'no error';
      };
      expect(messageOf(3)).toContain('Calculated output dimension is negative');
      expect(messageOf(3)).not.toContain('Invalid dimension');
      expect(messageOf(4)).toContain('Invalid dimension');
      expect(messageOf(4)).not.toContain('Calculated output dimension is negative');
    });
  });
}
