/**
 * NhwcMaxPool rejects bad input with the contract's typed error, in reference/ and impl/ alike: x of another dtype
 * (ORT 1.30 registers uint8 and int8), rank below 3, a kernel of the wrong rank, pads as large as their kernel,
 * strides or dilations below 1, explicit pads with auto_pad, an unknown auto_pad, an empty x with N > 0, negative pooled
 * sizes (N = 0 and pooled sizes of 0 give ORT's empty y: tests/backends/ort_empty_tensors.test.ts). Each row
 * passes with its one defect removed (the base call), which also shows padded taps reading int8's lowest value.
 */
import { describe, expect, it } from 'vitest';
import type { NhwcMaxPoolArgs } from '../../contract/onnx_qops.js';
import { intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { type BadInputRow, itRefusesEveryRow, row, u8 } from '../support/onnx_qop_bad_input_rows.js';

// int8 [1, 5, 1] = -1 -5 -2 -9 -3, kernel 2 dilated by 3, pads 1 and 1: windows (pad, x2) (x0, x3) (x1, x4) (x2, pad)
const BASE: NhwcMaxPoolArgs = { x: intTensor('qint8', [1, 5, 1], [-1, -5, -2, -9, -3]), kernelShape: [2], strides: [1], pads: [1, 1], dilations: [3], autoPad: 'NOTSET', ceilMode: false };

const ROWS: readonly BadInputRow[] = [
  row('x of int16', 'invalid_dtype', ['x.dtype', 'int16'], (o) => o.nhwcMaxPool({ ...BASE, x: intTensor('int16', [1, 5, 1], [1, 2, 3, 4, 5]) })),
  row('x of rank 2', 'shape_mismatch', ['x', 'rank >= 3'], (o) => o.nhwcMaxPool({ ...BASE, x: u8([5, 1]) })),
  row('a kernel of two dims for one spatial dim', 'shape_mismatch', ['kernel_shape', 'incorrect size'], (o) => o.nhwcMaxPool({ ...BASE, kernelShape: [2, 2], strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1] })),
  row('a pad as large as its kernel', 'invalid_geometry', ['pads', 'smaller than kernel'], (o) => o.nhwcMaxPool({ ...BASE, pads: [2, 0] })),
  row('stride 0', 'invalid_geometry', ['strides'], (o) => o.nhwcMaxPool({ ...BASE, strides: [0] })),
  row('dilation 0', 'invalid_geometry', ['dilations'], (o) => o.nhwcMaxPool({ ...BASE, dilations: [0] })),
  row('pads with auto_pad', 'invalid_geometry', ['pads', 'SAME_UPPER'], (o) => o.nhwcMaxPool({ ...BASE, autoPad: 'SAME_UPPER' })),
  row('an unknown auto_pad', 'invalid_geometry', ['auto_pad', 'SAME'], (o) => o.nhwcMaxPool({ ...BASE, pads: [0, 0], autoPad: 'SAME' as 'VALID' })),
  row('an empty x with N > 0 (C = 0)', 'shape_mismatch', ['x', 'Only N can be zero'], (o) => o.nhwcMaxPool({ ...BASE, x: intTensor('qint8', [1, 5, 0], []) })),
  row('a kernel wider than the image (pooled size -1)', 'empty_output', ['spatial dim 0', 'negative'], (o) => o.nhwcMaxPool({ ...BASE, x: intTensor('qint8', [1, 1, 1], [3]), kernelShape: [3], pads: [0, 0], dilations: [1] })),
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: NhwcMaxPool refuses bad input with typed errors`, () => {
    it('computes the base call: padded taps read -128, so they never win over a negative pixel', () => {
      const y = ops.nhwcMaxPool(BASE);
      expect(y.dtype).toBe('qint8');
      expect(y.shape).toEqual([1, 4, 1]);
      expect([...y.data]).toEqual([-2, -1, -3, -2]);
    });
    it('gives the lowest value for a window of padding only (int8 -128, uint8 0)', () => {
      // in 1, kernel 2 dilated by 3, pads 1 and 1, stride 2: one window, taps at -1 and 2, both outside
      const all = { ...BASE, x: intTensor('qint8', [1, 1, 1], [5]), kernelShape: [2], strides: [2], pads: [1, 1], dilations: [3] };
      expect([...ops.nhwcMaxPool(all).data]).toEqual([-128]);
      expect([...ops.nhwcMaxPool({ ...all, x: intTensor('quint8', [1, 1, 1], [5]) }).data]).toEqual([0]);
    });
    itRefusesEveryRow(ROWS, ops);
  });
}
