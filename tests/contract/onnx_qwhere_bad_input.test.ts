/**
 * QLinearWhere rejects bad input with the contract's typed error, in reference/ and impl/ alike: a condition that is
 * not a uint8 tensor of 0/1 (ONNX bool on the wire), operands or zero points of another dtype than z_zero_point's
 * (ORT's type binding), scale and zero-point shapes and values, shapes that do not broadcast (an empty dim against 3
 * too: an empty broadcast is computed, tests/backends/ort_empty_tensors.test.ts). Each
 * row also passes with its one defect removed (the base call).
 */
import { describe, expect, it } from 'vitest';
import type { QLinearWhereArgs } from '../../contract/onnx_qops.js';
import { intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { type BadInputRow, f32, itRefusesEveryRow, row, u8 } from '../support/onnx_qop_bad_input_rows.js';

const bool = (shape: number[], ...v: number[]) => intTensor('uint8', shape, v);

const WHERE: QLinearWhereArgs = {
  condition: bool([2, 1], 1, 0),
  x: u8([3], 200), xScale: f32([], 0.5), xZeroPoint: u8([], 128),
  y: u8([], 7), yScale: f32([1], 0.25), yZeroPoint: u8([], 3),
  zScale: f32([], 0.5), zZeroPoint: u8([], 128),
};

const ROWS: readonly BadInputRow[] = [
  row('condition value 2', 'invalid_integer', ['condition[1]', '2'], (o) => o.qlinearWhere({ ...WHERE, condition: bool([2, 1], 1, 2) })),
  row('condition as quint8', 'invalid_dtype', ['condition.dtype', 'quint8'], (o) => o.qlinearWhere({ ...WHERE, condition: intTensor('quint8', [1], [1]) })),
  row('an empty condition against x of 3', 'shape_mismatch', ['condition, x, y', 'broadcast'], (o) => o.qlinearWhere({ ...WHERE, condition: bool([0]) })),
  row('x of int8', 'invalid_dtype', ['x.dtype', 'qint8'], (o) => o.qlinearWhere({ ...WHERE, x: intTensor('qint8', [3], [1, 2, 3]) })),
  row('y zero point of int8', 'invalid_dtype', ['y_zero_point.dtype', 'qint8'], (o) => o.qlinearWhere({ ...WHERE, yZeroPoint: intTensor('qint8', [], [0]) })),
  row('z zero point of int32', 'invalid_dtype', ['z_zero_point.dtype', 'int32'], (o) => o.qlinearWhere({ ...WHERE, zZeroPoint: intTensor('int32', [], [0]) })),
  row('x scale of two elements', 'shape_mismatch', ['x_scale'], (o) => o.qlinearWhere({ ...WHERE, xScale: f32([2], 0.5, 0.5) })),
  row('z scale zero', 'scale_not_positive', ['z_scale'], (o) => o.qlinearWhere({ ...WHERE, zScale: f32([], 0) })),
  row('y scale NaN', 'scale_not_finite', ['y_scale'], (o) => o.qlinearWhere({ ...WHERE, yScale: f32([], Number.NaN) })),
  row('x zero point out of range', 'invalid_integer', ['x_zero_point'], (o) => o.qlinearWhere({ ...WHERE, xZeroPoint: intTensor('quint8', [], [300]) })),
  row('x value out of range', 'invalid_integer', ['x[1]'], (o) => o.qlinearWhere({ ...WHERE, x: intTensor('quint8', [3], [1, 256, 3]) })),
  row('shapes that do not broadcast', 'shape_mismatch', ['condition, x, y', 'broadcast'], (o) => o.qlinearWhere({ ...WHERE, y: u8([2]) })),
  row('an empty y against x of 3', 'shape_mismatch', ['condition, x, y', 'broadcast'], (o) => o.qlinearWhere({ ...WHERE, y: u8([0]) })),
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: QLinearWhere refuses bad input with typed errors`, () => {
    it('accepts the base call: condition ? x : y broadcast to [2, 3], x mapped, y mapped', () => {
      const z = ops.qlinearWhere(WHERE);
      expect(z.dtype).toBe('quint8');
      expect(z.shape).toEqual([2, 3]);
      // x: 0.5 * (200 - 128) / 0.5 + 128 = 200 (the copy path); y: 0.25 * (7 - 3) / 0.5 + 128 = 130
      expect([...z.data]).toEqual([200, 200, 200, 130, 130, 130]);
    });
    itRefusesEveryRow(ROWS, ops);
  });
}
