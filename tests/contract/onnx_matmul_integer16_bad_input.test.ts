/**
 * MatMulInteger16 rejects bad input with the contract's typed error, in reference/ and impl/ alike: operands of
 * another type than int16 (ORT 1.30 registers int16 x int16 only), values outside int16, K that does not match,
 * batches that do not broadcast. Each row passes with its one defect removed (the base call), which
 * also shows the int32 wrap ORT computes.
 */
import { describe, expect, it } from 'vitest';
import type { MatMulInteger16Args } from '../../contract/onnx_qops.js';
import { intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { type BadInputRow, itRefusesEveryRow, row, s8 } from '../support/onnx_qop_bad_input_rows.js';

const i16 = (shape: number[], ...v: number[]) => intTensor('int16', shape, v);

// [1, 2] x [2, 2]: (-32768)^2 + (-32768)^2 = 2^31 wraps to -2^31; -32768 * 0 + -32768 * 5 = -163840 in the other column
const BASE: MatMulInteger16Args = { a: i16([1, 2], -32768, -32768), b: i16([2, 2], -32768, 0, -32768, 5) };

const ROWS: readonly BadInputRow[] = [
  row('b of int8', 'invalid_dtype', ['b.dtype', 'qint8'], (o) => o.matmulInteger16({ ...BASE, b: s8([2, 2]) })),
  row('a of uint16', 'invalid_dtype', ['a.dtype', 'uint16'], (o) => o.matmulInteger16({ ...BASE, a: intTensor('uint16', [1, 2], [1, 2]) })),
  row('a value outside int16', 'invalid_integer', ['a[1]', '40000'], (o) => o.matmulInteger16({ ...BASE, a: i16([1, 2], 1, 40000) })),
  row("K that does not match", 'shape_mismatch', ['K'], (o) => o.matmulInteger16({ ...BASE, b: i16([3, 1], 1, 2, 3) })),
  row('batches that do not broadcast', 'shape_mismatch', ['broadcast'], (o) => o.matmulInteger16({ a: i16([2, 1, 2], 1, 2, 3, 4), b: i16([3, 2, 1], 1, 1, 1, 1, 1, 1) })),
  row('a scalar a', 'shape_mismatch', ['at least one dimension'], (o) => o.matmulInteger16({ ...BASE, a: i16([], 3) })),
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: MatMulInteger16 refuses bad input with typed errors`, () => {
    it('computes the base call, wrapping 2^31 to -2^31 as ORT does', () => {
      const y = ops.matmulInteger16(BASE);
      expect(y.dtype).toBe('int32');
      expect(y.shape).toEqual([1, 2]);
      expect([...y.data]).toEqual([-2147483648, -163840]);
    });
    itRefusesEveryRow(ROWS, ops);
  });
}
