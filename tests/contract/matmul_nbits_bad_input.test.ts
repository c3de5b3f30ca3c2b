/**
 * MatMulNBits rejects bad input with the contract's typed error, in reference/ and impl/ alike: ORT 1.30's CheckInputs
 * rules (bits, block_size, the shapes of b, scales, zero points and bias, a's last dim K), dtypes (uint8 b and zero
 * points; float zero points are not modelled), the routes qconform does not model (accuracy_level 4, a 1 x 1 B of
 * 8 bits with 2 rows, infinities: unsupported_by_scheme; NaN: nan_input), an unknown qnbit_kernel and the size limits. Each row also passes
 * with its one defect removed (the base call).
 */
import { describe, expect, it } from 'vitest';
import type { MatMulNBitsArgs } from '../../contract/onnx_qops.js';
import { f32Tensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { type BadInputRow, f32, itRefusesEveryRow, row } from '../support/onnx_qop_bad_input_rows.js';

const u8 = (shape: number[], fill: number) => intTensor('uint8', shape, new Array(shape.reduce((x, y) => x * y, 1)).fill(fill));
const fill = (shape: number[], v: number) => f32Tensor(shape, new Array(shape.reduce((x, y) => x * y, 1)).fill(v));

// a = [[1 x16], [2 x16]]; every code 9 (bytes 0x99), zero point 8, scale 0.5: each b is 0.5
const BASE: MatMulNBitsArgs = {
  a: f32Tensor([2, 16], [...new Array(16).fill(1), ...new Array(16).fill(2)]),
  b: u8([2, 1, 8], 0x99),
  scales: f32([2], 0.5, 0.5),
  zeroPoints: u8([2], 8),
  bias: f32([2], 1, -1),
  k: 16, n: 2, bits: 4, blockSize: 16, accuracyLevel: 0,
};

const ROWS: readonly BadInputRow[] = [
  row('bits 3', 'invalid_integer', ['bits', '3'], (o) => o.matmulNBits({ ...BASE, bits: 3 })),
  row('block_size 24', 'invalid_integer', ['block_size', '24'], (o) => o.matmulNBits({ ...BASE, blockSize: 24 })),
  row('block_size 8', 'invalid_integer', ['block_size', '8'], (o) => o.matmulNBits({ ...BASE, blockSize: 8 })),
  // a power of 2 the schema takes, which ORT 1.30's CPU kernel refuses at session creation
  row('block_size 512', 'unsupported_by_scheme', ['block_size', '512', '16, 32, 64, 128, and 256'], (o) => o.matmulNBits({ ...BASE, blockSize: 512 })),
  row('accuracy_level 1.5 (not an ONNX INT; any integer but 4 computes as 0-3 do)', 'invalid_integer', ['accuracy_level', '1.5'], (o) => o.matmulNBits({ ...BASE, accuracyLevel: 1.5 })),
  row('K 0', 'invalid_integer', ['K'], (o) => o.matmulNBits({ ...BASE, k: 0 })),
  row("a's last dim not K", 'shape_mismatch', ['a', 'K = 16'], (o) => o.matmulNBits({ ...BASE, a: fill([2, 15], 1) })),
  row('b of two blocks', 'shape_mismatch', ['b', '[2, 1, 8]'], (o) => o.matmulNBits({ ...BASE, b: u8([2, 2, 8], 0) })),
  row('b of quint8', 'invalid_dtype', ['b.dtype', 'quint8'], (o) => o.matmulNBits({ ...BASE, b: intTensor('quint8', [2, 1, 8], new Array(16).fill(0)) })),
  row('b value 256', 'invalid_integer', ['b[0]', '256'], (o) => o.matmulNBits({ ...BASE, b: intTensor('uint8', [2, 1, 8], [256, ...new Array(15).fill(0)]) })),
  row('scales of three', 'shape_mismatch', ['scales', '[2]'], (o) => o.matmulNBits({ ...BASE, scales: f32([3], 1, 1, 1) })),
  row('zero points of quint8, not uint8', 'invalid_dtype', ['zero_points.dtype', 'quint8'], (o) => o.matmulNBits({ ...BASE, zeroPoints: intTensor('quint8', [2], [8, 8]) })),
  row('zero points of three bytes', 'shape_mismatch', ['zero_points'], (o) => o.matmulNBits({ ...BASE, zeroPoints: u8([3], 8) })),
  row('bias of three', 'shape_mismatch', ['bias'], (o) => o.matmulNBits({ ...BASE, bias: f32([3], 0, 0, 0) })),
  row('NaN in a', 'nan_input', ['a[0]'], (o) => o.matmulNBits({ ...BASE, a: fill([2, 16], Number.NaN) })),
  row('NaN bias', 'nan_input', ['bias[1]'], (o) => o.matmulNBits({ ...BASE, bias: f32([2], 0, Number.NaN) })),
  row('infinite scale', 'unsupported_by_scheme', ['scales[0]'], (o) => o.matmulNBits({ ...BASE, scales: f32([2], Number.POSITIVE_INFINITY, 1) })),
  row('accuracy_level 4 (int8 compute)', 'unsupported_by_scheme', ['accuracy_level', 'CompInt8'], (o) => o.matmulNBits({ ...BASE, accuracyLevel: 4 })),
  row('unknown qnbit kernel', 'unknown_scheme', ['qnbit_kernel', 'sse4'], (o) => o.matmulNBits({ ...BASE, qnbitKernel: 'sse4' as never })),
  row('bits 8 with N = K = 1', 'unsupported_by_scheme', ['N, K'], (o) => o.matmulNBits({ ...BASE, a: fill([2, 1], 1), b: u8([1, 1, 16], 130), scales: f32([1], 1), zeroPoints: null, bias: null, k: 1, n: 1, bits: 8 })),
  row('b beyond MAX_TENSOR_ELEMENTS', 'too_large', ['b elements', 'MAX_TENSOR_ELEMENTS'], (o) => o.matmulNBits({ ...BASE, n: 2 ** 20 })),
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: MatMulNBits refuses bad input with typed errors`, () => {
    it('accepts the base call: y = 16 x 0.5 x a + bias, and the same without zero points (default 8) or bias', () => {
      const y = ops.matmulNBits(BASE);
      expect(y.shape).toEqual([2, 2]);
      expect([...y.data]).toEqual([9, 7, 17, 15]);
      expect([...ops.matmulNBits({ ...BASE, zeroPoints: null, bias: null }).data]).toEqual([8, 8, 16, 16]);
    });
    it('sums a zero row of a to +0 whatever the signs of its products (the chain starts at +0)', () => {
      const y = ops.matmulNBits({ ...BASE, a: f32Tensor([2, 16], [...new Array(16).fill(-0), ...new Array(16).fill(1)]), bias: null, scales: f32([2], -0.5, 0.5) });
      expect(Object.is(y.data[0], 0)).toBe(true);
      expect(Object.is(y.data[1], 0)).toBe(true);
    });
    it('answers a single row (the M1 kernels) on both kernel sets, 1-D a included, and a 1 x 1 B of 8 bits', () => {
      for (const qnbitKernel of ['avx512', 'avx2'] as const) {
        const y = ops.matmulNBits({ ...BASE, a: fill([1, 16], 2), qnbitKernel });
        expect(y.shape).toEqual([1, 2]);
        expect([...y.data]).toEqual([17, 15]);
        expect([...ops.matmulNBits({ ...BASE, a: fill([16], 1), bias: null, qnbitKernel }).data]).toEqual([8, 8]);
      }
      const one = ops.matmulNBits({ ...BASE, a: fill([1, 1], 3), b: u8([1, 1, 16], 130), scales: f32([1], 1), zeroPoints: null, bias: null, k: 1, n: 1, bits: 8 });
      expect([...one.data]).toEqual([6]);
    });
    itRefusesEveryRow(ROWS, ops);
  });
}
