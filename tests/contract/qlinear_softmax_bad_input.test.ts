/**
 * qlinear_softmax@1 rejects bad input with the contract's typed error, in reference/ and impl/ alike
 * (contract/qlinear_softmax_checks.ts), including the requests whose ORT output would depend on the last bit of
 * libm's exp (a searched example) or on C++'s undefined conversion of inf to an integer. Each row also passes with
 * its one defect removed (the base call).
 */
import { describe, expect, it } from 'vitest';
import type { QLinearSoftmaxArgs } from '../../contract/onnx_qops.js';
import { intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { type BadInputRow, f32, itRefusesEveryRow, row, s8, u8 } from '../support/onnx_qop_bad_input_rows.js';

const fromBits = (bits: number) => new Float32Array(new Uint32Array([bits]).buffer)[0]!;

const BASE: QLinearSoftmaxArgs = { x: u8([2, 3]), xScale: f32([], 0.1), xZeroPoint: null, yScale: f32([1], 1 / 256), yZeroPoint: u8([], 0), axis: -1, opset: 13 };


const ROWS: readonly BadInputRow[] = [
  row('int32 x', 'invalid_dtype', ['qlinear_softmax: x.dtype', 'quint8'], (o) => o.qlinearSoftmax({ ...BASE, x: intTensor('int32', [2], [1, 2]) })),
  row('a scalar x', 'shape_mismatch', ['qlinear_softmax: x', 'rank >= 1'], (o) => o.qlinearSoftmax({ ...BASE, x: u8([]) })),
  row('an empty x (ORT returns no output: onnxruntime-node dies of SIGSEGV)', 'shape_mismatch', ['qlinear_softmax: x', 'returns before creating its output', 'SIGSEGV'], (o) => o.qlinearSoftmax({ ...BASE, x: u8([2, 0]) })),
  row('axis out of range', 'axis_out_of_range', ['qlinear_softmax: axis', '2 dimension(s)'], (o) => o.qlinearSoftmax({ ...BASE, axis: 2 })),
  row('axis 2^32 + 2 (ORT narrows it to int32: 2)', 'axis_out_of_range', ['qlinear_softmax: axis 4294967298', "ORT's int32 2"], (o) => o.qlinearSoftmax({ ...BASE, axis: 2 ** 32 + 2 })),
  row('opset 12.5 (not an ONNX INT)', 'malformed_request', ['qlinear_softmax: opset', 'an integer'], (o) => o.qlinearSoftmax({ ...BASE, opset: 12.5 })),
  row('axis 0.5 (not an ONNX INT)', 'malformed_request', ['qlinear_softmax: axis', 'an integer'], (o) => o.qlinearSoftmax({ ...BASE, axis: 0.5 })),
  row('x_scale of two elements', 'shape_mismatch', ['x_scale', 'one element'], (o) => o.qlinearSoftmax({ ...BASE, xScale: f32([2], 0.1, 0.2) })),
  row('y_scale 0', 'scale_not_positive', ['y_scale[0]'], (o) => o.qlinearSoftmax({ ...BASE, yScale: f32([], 0) })),
  row('x_scale infinite', 'scale_not_finite', ['x_scale[0]'], (o) => o.qlinearSoftmax({ ...BASE, xScale: f32([], Number.POSITIVE_INFINITY) })),
  row('y_zero_point of the other dtype', 'invalid_dtype', ['y_zero_point.dtype', 'quint8'], (o) => o.qlinearSoftmax({ ...BASE, yZeroPoint: s8([], 0) })),
  row('x_zero_point of the other dtype (ORT checks its type, not its value)', 'invalid_dtype', ['x_zero_point.dtype'], (o) => o.qlinearSoftmax({ ...BASE, xZeroPoint: s8([], 0) })),
  row('y_scale below 2^-24', 'unsupported_by_scheme', ['y_scale', '2^24'], (o) => o.qlinearSoftmax({ ...BASE, x: u8([2, 300000]), yScale: f32([], 2 ** -26) })),
  row('y_scale so small that f32(t[255] * floor(1 / y_scale)) overflows (D = 1)', 'unsupported_by_scheme', ['overflows', 'reduce length 1'], (o) => o.qlinearSoftmax({ ...BASE, x: u8([3, 1]), yScale: f32([], 1 / 256) })),
  row('an exp table entry that depends on the last bit of libm (D = 27, x_scale 0x3be88dc0)', 'unsupported_by_scheme', ['exp table', "libm's log or exp"], (o) => o.qlinearSoftmax({ ...BASE, x: u8([1, 27]), xScale: f32([], fromBits(0x3be88dc0)) })),
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`QLinearSoftmax refuses bad input with typed errors [${name}]`, () => {
    it('the base calls are accepted (so each row has exactly one defect)', () => {
      expect(ops.qlinearSoftmax(BASE).shape).toEqual([2, 3]);
      expect(ops.qlinearSoftmax({ ...BASE, x: u8([3, 1]), yScale: f32([], 1 / 128) }).shape).toEqual([3, 1]);
      expect(ops.qlinearSoftmax({ ...BASE, x: u8([1, 27]), xScale: f32([], fromBits(0x3be88dc1)) }).shape).toEqual([1, 27]);
      expect(ops.qlinearSoftmax({ ...BASE, axis: 1, opset: 12 }).shape).toEqual([2, 3]);
      // ORT narrows opset and axis to int32 and checks neither opset nor anything but the int32 axis's range
      expect(ops.qlinearSoftmax({ ...BASE, axis: 2 ** 32 + 1, opset: 0 }).shape).toEqual([2, 3]);
    });
    itRefusesEveryRow(ROWS, ops);
  });
}
