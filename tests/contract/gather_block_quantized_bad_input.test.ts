/**
 * gather_block_quantized@1 (com.microsoft GatherBlockQuantized) refuses bad input with the contract's typed error, in
 * reference/ and impl/ alike: data, indices, scale and zero-point dtypes, ORT's attribute rules (block_size, bits, the
 * uint8 axes), ranks and shapes, values out of range, indices outside the gather axis, scales ORT computes with but
 * the contract refuses. Each row also passes with its defect removed (the base calls).
 */
import { describe, expect, it } from 'vitest';
import type { GatherBlockQuantizedArgs } from '../../contract/onnx_qops.js';
import { intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { f32, itRefusesEveryRow, row } from '../support/onnx_qop_bad_input_rows.js';

/** A float16 tensor of bit patterns. */
const f16 = (shape: number[], ...bits: number[]) => ({ dtype: 'float16' as const, shape, data: Uint16Array.from(bits) });

/** uint8 bits 4: data [2, 10] packed = [2, 20] logical (two blocks of 16, the second partial), rows gathered by [1, -2]. */
const U8: GatherBlockQuantizedArgs = {
  data: intTensor('uint8', [2, 10], [0x21, ...new Array(9).fill(0xff), 0x43, ...new Array(9).fill(0x10)]),
  indices: intTensor('int64', [2], [1, -2]),
  scales: f32([2, 2], 0.5, 1, 0.25, 3),
  zeroPoints: intTensor('uint8', [2, 1], [0x95, 0x08]),
  gatherAxis: 0, quantizeAxis: 1, blockSize: 16, bits: 4,
};
/** int4 [3, 16], gathered along axis 1 (also the quantize axis), no zero points (0). */
const I4: GatherBlockQuantizedArgs = {
  data: intTensor('int4', [3, 16], Array.from({ length: 48 }, (_, i) => (i % 16) - 8)),
  indices: intTensor('int32', [], [15]),
  scales: f32([3, 1], 1, 0.5, 2),
  zeroPoints: null,
  gatherAxis: -1, quantizeAxis: 1, blockSize: 16, bits: 4,
};

const ROWS = [
  row('data of int8', 'invalid_dtype', ['data.dtype', 'int8'], (o) => o.gatherBlockQuantized({ ...I4, data: intTensor('int8', [3, 16], new Array(48).fill(0)) })),
  row('block size 8', 'unsupported_by_scheme', ['block_size', 'power of 2'], (o) => o.gatherBlockQuantized({ ...I4, blockSize: 8 })),
  row('block size 48', 'unsupported_by_scheme', ['block_size', '48'], (o) => o.gatherBlockQuantized({ ...I4, blockSize: 48 })),
  row('block size 2^32 + 16 (its int32 bits are 16)', 'unsupported_by_scheme', ['block_size', 'power of 2'], (o) => o.gatherBlockQuantized({ ...I4, blockSize: 2 ** 32 + 16 })),
  row('bits 8 on int4', 'unsupported_by_scheme', ['bits', 'int4'], (o) => o.gatherBlockQuantized({ ...I4, bits: 8 })),
  row('bits 3 on uint8', 'unsupported_by_scheme', ['bits', '2, 4, or 8'], (o) => o.gatherBlockQuantized({ ...U8, bits: 3 })),
  row('int4 value 8', 'invalid_integer', ['data[2]', '8'], (o) => o.gatherBlockQuantized({ ...I4, data: intTensor('int4', [3, 16], [0, 0, 8, ...new Array(45).fill(0)]) })),
  row('rank 1 data', 'shape_mismatch', ['data', 'rank > 1'], (o) => o.gatherBlockQuantized({ ...I4, data: intTensor('int4', [16], new Array(16).fill(0)), scales: f32([1], 1), gatherAxis: 0, quantizeAxis: 0 })),
  row('an index into an empty gather axis', 'invalid_integer', ['indices[0]', '[-0, 0)'], (o) => o.gatherBlockQuantized({ ...I4, data: intTensor('int4', [3, 0], []), scales: f32([3, 0]), indices: intTensor('int32', [1], [0]) })),
  row('gather axis 2 of rank 2', 'axis_out_of_range', ['gather_axis', '2'], (o) => o.gatherBlockQuantized({ ...I4, gatherAxis: 2 })),
  row('uint8 gathering along axis 1', 'unsupported_by_scheme', ['gather_axis, quantize_axis', 'must be 0'], (o) => o.gatherBlockQuantized({ ...U8, gatherAxis: 1 })),
  row('uint8 quantized along axis 0', 'unsupported_by_scheme', ['gather_axis, quantize_axis'], (o) => o.gatherBlockQuantized({ ...U8, quantizeAxis: 0 })),
  row('indices of uint8', 'invalid_dtype', ['indices.dtype', 'uint8'], (o) => o.gatherBlockQuantized({ ...I4, indices: intTensor('uint8', [1], [0]) })),
  row('index 16 of 16', 'invalid_integer', ['indices[0]', '16', '[-16, 16)'], (o) => o.gatherBlockQuantized({ ...I4, indices: intTensor('int32', [], [16]) })),
  row('index -3 of 2 rows', 'invalid_integer', ['indices[1]', '-3'], (o) => o.gatherBlockQuantized({ ...U8, indices: intTensor('int64', [2], [0, -3]) })),
  row('scales of rank 1', 'shape_mismatch', ['scales', 'data and scales must match'], (o) => o.gatherBlockQuantized({ ...I4, scales: f32([3], 1, 1, 1) })),
  row('one block too many', 'shape_mismatch', ['scales', '[2,2]'], (o) => o.gatherBlockQuantized({ ...U8, scales: f32([2, 3], 1, 1, 1, 1, 1, 1) })),
  row('scales of int32', 'invalid_dtype', ['scales.dtype'], (o) => o.gatherBlockQuantized({ ...I4, scales: intTensor('int32', [3, 1], [1, 1, 1]) as never })),
  row('scale zero', 'scale_not_positive', ['scales[1]'], (o) => o.gatherBlockQuantized({ ...I4, scales: f32([3, 1], 1, 0, 2) })),
  row('scale infinite', 'scale_not_finite', ['scales[2]'], (o) => o.gatherBlockQuantized({ ...I4, scales: f32([3, 1], 1, 1, Number.POSITIVE_INFINITY) })),
  row('zero points of uint4 for int4 data', 'invalid_dtype', ['zero_points.dtype', 'uint4'], (o) => o.gatherBlockQuantized({ ...I4, zeroPoints: intTensor('uint4', [3, 1], [0, 0, 0]) })),
  row('uint8 zero points unpacked', 'shape_mismatch', ['zero_points', '[2,1]', '2 per byte'], (o) => o.gatherBlockQuantized({ ...U8, zeroPoints: intTensor('uint8', [2, 2], [1, 2, 3, 4]) })),
  row('scales of float64', 'invalid_dtype', ['scales.dtype', 'float32 or float16'], (o) => o.gatherBlockQuantized({ ...I4, scales: { dtype: 'float64', shape: [3, 1], data: Float64Array.of(1, 1, 1) } as never })),
  row('float16 scale zero', 'scale_not_positive', ['scales[1]'], (o) => o.gatherBlockQuantized({ ...I4, scales: f16([3, 1], 0x3c00, 0x0000, 0x4000) })),
  row('float16 scale infinite', 'scale_not_finite', ['scales[0]'], (o) => o.gatherBlockQuantized({ ...I4, scales: f16([3, 1], 0x7c00, 0x3c00, 0x4000) })),
  row('float16 scales as float32 numbers', 'invalid_dtype', ['scales.data', 'Uint16Array'], (o) => o.gatherBlockQuantized({ ...I4, scales: { dtype: 'float16', shape: [3, 1], data: Float32Array.of(1, 1, 1) } as never })),
  row('uint8 zero point 256', 'invalid_integer', ['zero_points[0]', '256'], (o) => o.gatherBlockQuantized({ ...U8, zeroPoints: intTensor('uint8', [2, 1], [256, 0]) })),
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: GatherBlockQuantized refuses bad input with typed errors`, () => {
    it('accepts the uint8 base call: nibbles low first, zero points packed per row', () => {
      const y = ops.gatherBlockQuantized(U8);
      expect(y.shape).toEqual([2, 20]);
      // row 1: bytes 0x43 then 0x10 x9: elements 3, 4, 0, 1, 0, 1, ...; its zero points 0x08: block 0 -> 8, block 1 -> 0;
      // scales 0.25 (block 0, elements 0-15) and 3 (block 1, elements 16-19)
      expect([...y.data.slice(0, 4)]).toEqual([(3 - 8) * 0.25, (4 - 8) * 0.25, (0 - 8) * 0.25, (1 - 8) * 0.25]);
      expect([...y.data.slice(16, 20)]).toEqual([0, 3, 0, 3]);
      // row 0 (index -2): 0x21 -> 1, 2, then 15s; zero points 0x95 -> 5 (block 0), 9 (block 1)
      expect([...y.data.slice(20, 23)]).toEqual([(1 - 5) * 0.5, (2 - 5) * 0.5, (15 - 5) * 0.5]);
      expect([...y.data.slice(36, 40)]).toEqual([6, 6, 6, 6]);
    });
    it('accepts the int4 base call: a scalar index along the quantize axis drops that axis', () => {
      const y = ops.gatherBlockQuantized(I4);
      expect(y.shape).toEqual([3]);
      expect([...y.data]).toEqual([7, 3.5, 14]);
    });
    it('float16 scales give float16: the product rounded to nearest even, subnormals and overflow included', () => {
      // I4 with scales 1, 0.5, 2 as float16 (0x3c00, 0x3800, 0x4000): the same values, as float16 bit patterns
      const y = ops.gatherBlockQuantized({ ...I4, scales: f16([3, 1], 0x3c00, 0x3800, 0x4000) });
      expect(y.dtype).toBe('float16');
      expect([...y.data]).toEqual([0x4700, 0x4300, 0x4b00]); // 7, 3.5, 14
      // scale 1025 / 1024 (0x3c01) x 7 = 7175 / 1024, 1793.75 float16 quanta (2^-8 in [4, 8)): 1794 -> 7.0078125 (0x4702)
      // scale 65504 (0x7bff) x 7 overflows to infinity (0x7c00); scale 2^-24 (0x0001) x 7 = 7 x 2^-24 (0x0007, subnormal)
      const z = ops.gatherBlockQuantized({ ...I4, scales: f16([3, 1], 0x3c01, 0x7bff, 0x0001) });
      expect([...z.data]).toEqual([0x4702, 0x7c00, 0x0007]);
      // a tie: scale 0x3c03 (1 + 3 / 1024) x 3 (element 11 - 8) = 3 + 9 / 1024, 1540.5 quanta of 2^-9 in [2, 4): to even,
      // 1540 (0x4204; half-up would give 0x4205)
      const t = ops.gatherBlockQuantized({ ...I4, indices: intTensor('int32', [], [11]), scales: f16([3, 1], 0x3c03, 0x3c00, 0x3c00) });
      expect([...t.data]).toEqual([0x4204, 0x4200, 0x4200]);
    });
    itRefusesEveryRow(ROWS, ops);
  });
}
