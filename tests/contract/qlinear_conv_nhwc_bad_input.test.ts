/**
 * qlinear_conv_nhwc@1 (com.microsoft QLinearConv, channels_last) refuses bad input with the contract's typed error, in
 * reference/ and impl/ alike: dtypes (x, uint8 weights with int8 x or under sat16_pairs_im2col, zero points, bias), ranks (1-D to 3-D taken), scale and zero-point shapes and
 * values (per-channel weight zero points that differ are taken: tests/backends/ort_varying_weight_zero_points.test.ts), attribute lists, the accumulator, and the
 * geometry errors of the NCHW conv it runs (named as this op's). Each row also passes with its defect removed.
 */
import { describe, expect, it } from 'vitest';
import type { QLinearConvNhwcArgs } from '../../contract/onnx_qops.js';
import { intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { f32, itRefusesEveryRow, row, s8, u8 } from '../support/onnx_qop_bad_input_rows.js';

/** x [1, 2, 2, 2] NHWC (all 10), w [3, 2, 1, 1] (all 2), pads 1 on the bottom and right only. */
const CONV: QLinearConvNhwcArgs = {
  x: u8([1, 2, 2, 2], 10), xScale: f32([], 0.5), xZeroPoint: u8([], 4),
  w: s8([3, 2, 1, 1], 2), wScale: f32([3], 0.25, 0.25, 0.5), wZeroPoint: intTensor('qint8', [3], [0, 0, 0]),
  yScale: f32([1], 1), yZeroPoint: u8([], 100),
  bias: intTensor('int32', [3], [0, 8, 0]),
  strides: [1, 1], pads: [0, 0, 1, 1], dilations: [1, 1], group: 1, accumulator: 'int32_wrap',
};

const ROWS = [
  row('x of int32', 'invalid_dtype', ['x.dtype', 'int32'], (o) => o.qlinearConvNhwc({ ...CONV, x: intTensor('int32', [1, 2, 2, 2], new Array(8).fill(1)) })),
  row('x of rank 2', 'shape_mismatch', ['x', '[N, H, W, C]'], (o) => o.qlinearConvNhwc({ ...CONV, x: u8([2, 2]) })),
  row('x of rank 6 (4-D)', 'shape_mismatch', ['x', '[N, D, H, W, C]'], (o) => o.qlinearConvNhwc({ ...CONV, x: u8([1, 1, 1, 2, 2, 2]) })),
  row('3-D x with 2-D weights', 'shape_mismatch', ['w', '[M, C / group, KD, KH, KW]'], (o) => o.qlinearConvNhwc({ ...CONV, x: u8([1, 1, 2, 2, 2]), strides: [1, 1, 1], pads: [0, 0, 0, 0, 1, 1], dilations: [1, 1, 1] })),
  row('3-D kernel deeper than the padded input', 'empty_output', ['output shape'], (o) => o.qlinearConvNhwc({ ...CONV, x: u8([1, 1, 2, 2, 2]), w: s8([3, 2, 2, 1, 1]), strides: [1, 1, 1], pads: [0, 0, 0, 0, 1, 1], dilations: [1, 1, 1] })),
  row('3-D group not dividing the channels', 'invalid_geometry', ['group'], (o) => o.qlinearConvNhwc({ ...CONV, x: u8([1, 1, 2, 2, 2]), w: s8([3, 2, 1, 1, 1]), group: 2, strides: [1, 1, 1], pads: [0, 0, 0, 0, 1, 1], dilations: [1, 1, 1] })),
  row('uint8 weights with int8 x', 'invalid_dtype', ['w.dtype', 'uint8 x only'], (o) => o.qlinearConvNhwc({ ...CONV, x: s8([1, 2, 2, 2]), xZeroPoint: s8([], 0), yZeroPoint: s8([], 0), w: u8([3, 2, 1, 1]), wZeroPoint: u8([3], 0) })),
  row('uint8 weights with an int8 zero point', 'invalid_dtype', ['w_zero_point.dtype', 'quint8'], (o) => o.qlinearConvNhwc({ ...CONV, w: u8([3, 2, 1, 1]) })),
  row('uint8 weights under sat16_pairs_im2col', 'unsupported_by_scheme', ['accumulator', 'quint8 x quint8'], (o) => o.qlinearConvNhwc({ ...CONV, w: u8([3, 2, 1, 1]), wZeroPoint: u8([3], 0), accumulator: 'sat16_pairs_im2col' })),
  row('1-D x with 2-D weights', 'shape_mismatch', ['w', '[M, C / group, KW]'], (o) => o.qlinearConvNhwc({ ...CONV, x: u8([1, 2, 2]), strides: [1], pads: [0, 1], dilations: [1] })),
  row('1-D x with two strides', 'invalid_geometry', ['strides'], (o) => o.qlinearConvNhwc({ ...CONV, x: u8([1, 2, 2]), w: s8([3, 2, 1]), pads: [0, 1], dilations: [1] })),
  row('x value out of range', 'invalid_integer', ['x'], (o) => o.qlinearConvNhwc({ ...CONV, x: intTensor('quint8', [1, 1, 1, 2], [1, 256]) })),
  row('x zero point of int8', 'invalid_dtype', ['x_zero_point.dtype', 'qint8'], (o) => o.qlinearConvNhwc({ ...CONV, xZeroPoint: s8([]) })),
  row('y scale of two elements', 'shape_mismatch', ['y_scale'], (o) => o.qlinearConvNhwc({ ...CONV, yScale: f32([2], 1, 1) })),
  row('x scale zero', 'scale_not_positive', ['x_scale'], (o) => o.qlinearConvNhwc({ ...CONV, xScale: f32([], 0) })),
  row('w scale of two elements for three channels', 'shape_mismatch', ['w_scale', '[M] = [3]'], (o) => o.qlinearConvNhwc({ ...CONV, wScale: f32([2], 1, 1) })),
  row('w scale NaN', 'scale_not_finite', ['weight_scales[1]'], (o) => o.qlinearConvNhwc({ ...CONV, wScale: f32([3], 1, Number.NaN, 1) })),
  row('w zero point of uint8', 'invalid_dtype', ['w_zero_point.dtype'], (o) => o.qlinearConvNhwc({ ...CONV, wZeroPoint: u8([], 0) })),
  row('bias of float32', 'invalid_dtype', ['B.dtype', 'float32'], (o) => o.qlinearConvNhwc({ ...CONV, bias: f32([3], 0, 0, 0) as never })),
  row('bias of two elements', 'shape_mismatch', ['qlinear_conv_nhwc', 'bias'], (o) => o.qlinearConvNhwc({ ...CONV, bias: intTensor('int32', [2], [0, 0]) })),
  row('three pads', 'invalid_geometry', ['pads'], (o) => o.qlinearConvNhwc({ ...CONV, pads: [0, 0, 1] as never })),
  row('stride 0', 'invalid_geometry', ['strides'], (o) => o.qlinearConvNhwc({ ...CONV, strides: [0, 1] })),
  row('group not dividing the channels', 'invalid_geometry', ['qlinear_conv_nhwc', 'groups'], (o) => o.qlinearConvNhwc({ ...CONV, group: 2 })),
  row('kernel larger than the padded input', 'empty_output', ['qlinear_conv_nhwc', 'output shape'], (o) => o.qlinearConvNhwc({ ...CONV, w: s8([3, 2, 4, 4]) })),
  row('unknown accumulator', 'unknown_scheme', ['accumulator', 'sat16_pairs'], (o) => o.qlinearConvNhwc({ ...CONV, accumulator: 'sat16_pairs' as never })),
  row('sat16_pairs_im2col on int8 activations', 'unsupported_by_scheme', ['accumulator', 'qint8'], (o) => o.qlinearConvNhwc({ ...CONV, x: s8([1, 2, 2, 2]), xZeroPoint: s8([], 0), yZeroPoint: s8([], 0), accumulator: 'sat16_pairs_im2col' })),
  row('padded input beyond the element limit', 'too_large', ['padded input elements'], (o) => o.qlinearConvNhwc({ ...CONV, pads: [0, 0, 1e6, 1e6] })),
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: qlinear_conv_nhwc refuses bad input with typed errors`, () => {
    it('accepts the base call: NHWC out, the bottom and right pads holding z_x', () => {
      const y = ops.qlinearConvNhwc(CONV);
      expect(y.dtype).toBe('quint8');
      expect(y.shape).toEqual([1, 3, 3, 3]);
      // inside: 2 taps of (10 - 4) * 2 = 24, times 0.5 * 0.25 = 3 (+ bias 8 * 0.125 = 1 on channel 1), + 100; channel 2
      // has w_scale 0.5: 6, + 100; a padded position reads z_x only: 0, + 100 (+ 1 on channel 1)
      expect([...y.data]).toEqual([103, 104, 106, 103, 104, 106, 100, 101, 100, 103, 104, 106, 103, 104, 106, 100, 101, 100, 100, 101, 100, 100, 101, 100, 100, 101, 100]);
    });
    it('takes uint8 weights (uint8 x): the int8 weights moved by 128 with their zero point give the same bytes', () => {
      const u = ops.qlinearConvNhwc({ ...CONV, w: u8([3, 2, 1, 1], 130), wZeroPoint: u8([3], 128) });
      expect([...u.data]).toEqual([...ops.qlinearConvNhwc(CONV).data]);
      // w - z_w = 255 - 0 = 255: beyond any int8 difference of one weight above z_w = 0 (127)
      const big = ops.qlinearConvNhwc({ ...CONV, w: u8([3, 2, 1, 1], 255), wZeroPoint: u8([3], 0), pads: [0, 0, 0, 0] });
      // 2 taps of (10 - 4) * 255 = 3060, times 0.5 * 0.25 = 382.5 -> 382 (ties to even) + 100 = 482 -> 255 (saturated)
      expect([...big.data]).toEqual(new Array<number>(12).fill(255));
    });
    it('takes 1-D convs ([N, W, C]): the 2-D conv with H = 1, without the H dimension', () => {
      const y = ops.qlinearConvNhwc({ ...CONV, x: u8([1, 2, 2], 10), w: s8([3, 2, 1], 2), strides: [1], pads: [0, 1], dilations: [1] });
      expect(y.shape).toEqual([1, 3, 3]);
      expect([...y.data]).toEqual([103, 104, 106, 103, 104, 106, 100, 101, 100]);
    });
    it('takes 3-D convs ([N, D, H, W, C]): a depth of one is the 2-D conv; two slices under a depth-2 kernel add up', () => {
      const three = { ...CONV, x: u8([1, 1, 2, 2, 2], 10), w: s8([3, 2, 1, 1, 1], 2), strides: [1, 1, 1], pads: [0, 0, 0, 0, 1, 1], dilations: [1, 1, 1] };
      const y = ops.qlinearConvNhwc(three);
      expect(y.shape).toEqual([1, 1, 3, 3, 3]);
      expect([...y.data]).toEqual([...ops.qlinearConvNhwc(CONV).data]);
      // two equal slices, kernel depth 2 (all weights 2), no depth padding: 4 taps of 12 = 48 inside, x 0.125 = 6 (+ 1 on
      // channel 1), 12 on channel 2; padded positions read z_x: 0
      const deep = ops.qlinearConvNhwc({ ...three, x: u8([1, 2, 2, 2, 2], 10), w: s8([3, 2, 2, 1, 1], 2) });
      expect(deep.shape).toEqual([1, 1, 3, 3, 3]);
      expect([...deep.data.slice(0, 3)]).toEqual([106, 107, 112]);
    });
    itRefusesEveryRow(ROWS, ops);
  });
}
