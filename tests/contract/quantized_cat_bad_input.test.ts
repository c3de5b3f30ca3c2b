/**
 * quantized_cat@1 refuses bad input with the contract's typed error, in reference/ and impl/ alike; each row passes
 * with its one defect removed (the base call).
 */
import { describe, expect, it } from 'vitest';
import { type ErrorCode, isQconformError } from '../../contract/errors.js';
import type { QuantizedCatAttrs, QuantizedCatInput } from '../../contract/quantized_cat.js';
import { intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

// [1, 1, 1, 2] at (0.5, 0) and [1, 2, 1, 2] at (0.25, 2), concatenated on channels to (0.5, 1)
const A: QuantizedCatInput = { x: intTensor('quint8', [1, 1, 1, 2], [4, 6]), scale: 0.5, zeroPoint: 0 };
const B: QuantizedCatInput = { x: intTensor('quint8', [1, 2, 1, 2], [2, 6, 10, 0]), scale: 0.25, zeroPoint: 2 };
const ATTRS: QuantizedCatAttrs = { scale: 0.5, zeroPoint: 1, dim: 1, relu: false, cpuCapability: 'avx2', memoryFormat: 'channels_last' };

const ROWS: ReadonlyArray<{ name: string; code: ErrorCode; mentions: string; call: () => [QuantizedCatInput[], QuantizedCatAttrs] }> = [
  { name: 'no inputs', code: 'malformed_request', mentions: 'at least one', call: () => [[], ATTRS] },
  { name: 'inputs that are not a list', code: 'malformed_request', mentions: 'inputs', call: () => [A as unknown as QuantizedCatInput[], ATTRS] },
  { name: 'a qint32 input', code: 'invalid_dtype', mentions: 'x0.dtype', call: () => [[{ ...A, x: intTensor('qint32', [1, 1, 1, 2], [4, 6]) }, B], ATTRS] },
  { name: 'inputs of two dtypes', code: 'invalid_dtype', mentions: 'x1.dtype', call: () => [[A, { ...B, x: intTensor('qint8', [1, 2, 1, 2], [2, 6, 10, 0]) }], ATTRS] },
  { name: 'a value outside quint8', code: 'invalid_integer', mentions: 'x1[2]', call: () => [[A, { ...B, x: intTensor('quint8', [1, 2, 1, 2], [2, 6, 256, 0]) }], ATTRS] },
  { name: 'shapes that part off dim', code: 'shape_mismatch', mentions: 'x1', call: () => [[A, { ...B, x: intTensor('quint8', [1, 2, 2, 1], [2, 6, 10, 0]) }], ATTRS] },
  { name: 'inputs of two ranks', code: 'shape_mismatch', mentions: 'x1', call: () => [[A, { ...B, x: intTensor('quint8', [2, 1, 2], [2, 6, 10, 0]) }], ATTRS] },
  { name: 'an empty dimension', code: 'shape_mismatch', mentions: 'at least 1', call: () => [[A, { ...B, x: intTensor('quint8', [1, 0, 1, 2], []) }], ATTRS] },
  { name: 'a 0-D input', code: 'shape_mismatch', mentions: 'rank >= 1', call: () => [[{ ...A, x: intTensor('quint8', [], [4]) }], { ...ATTRS, memoryFormat: 'contiguous', dim: 0 }] },
  { name: 'a dim out of range', code: 'axis_out_of_range', mentions: 'dim', call: () => [[A, B], { ...ATTRS, dim: 4 }] },
  { name: 'an input scale of NaN', code: 'scale_not_finite', mentions: 'x1 scale', call: () => [[A, { ...B, scale: NaN }], ATTRS] },
  { name: 'an output scale of 0', code: 'scale_not_positive', mentions: 'scale', call: () => [[A, B], { ...ATTRS, scale: 0 }] },
  { name: 'an input zero point outside quint8', code: 'zero_point_out_of_range', mentions: 'x0 zero_point', call: () => [[{ ...A, zeroPoint: 256 }, B], ATTRS] },
  { name: 'an output zero point outside quint8', code: 'zero_point_out_of_range', mentions: 'zero_point', call: () => [[A, B], { ...ATTRS, zeroPoint: 300 }] },
  { name: 'a non-boolean relu', code: 'malformed_request', mentions: 'relu', call: () => [[A, B], { ...ATTRS, relu: 1 as unknown as boolean }] },
  { name: 'an unknown capability', code: 'malformed_request', mentions: 'cpu_capability', call: () => [[A, B], { ...ATTRS, cpuCapability: 'sse4' as 'avx2' }] },
  { name: 'an unknown memory format', code: 'malformed_request', mentions: 'memory_format', call: () => [[A, B], { ...ATTRS, memoryFormat: 'nhwc' as 'contiguous' }] },
  { name: 'channels_last on 3-D inputs', code: 'shape_mismatch', mentions: 'channels_last', call: () => [[{ ...A, x: intTensor('quint8', [1, 1, 2], [4, 6]) }], { ...ATTRS, dim: 0 }] },
  { name: 'an absurd output', code: 'too_large', mentions: 'output elements', call: () => [Array.from({ length: 3 }, () => ({ ...A, x: intTensor('quint8', [1, 1 << 21, 1, 1], new Int32Array(1 << 21)) })), ATTRS] },
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: quantized_cat refuses bad input with typed errors`, () => {
    it('computes the base call: the vector form (AVX2) and the scalar form (DEFAULT) agree off ties, the generic path too', () => {
      // A: 4 * 0.5 = 2 -> 4 + 1 = 5, 6 * 0.5 = 3 -> 7; B: (2 - 2) / 4 = 0 -> 1, 1 -> 3, 2 -> 5, -0.5 -> round(-1) + 1 = 0
      const want = [5, 7, 1, 3, 5, 0];
      expect([...ops.quantizedCat([A, B], ATTRS).data]).toEqual(want);
      expect([...ops.quantizedCat([A, B], { ...ATTRS, cpuCapability: 'default' }).data]).toEqual(want);
      expect([...ops.quantizedCat([A, B], { ...ATTRS, dim: -3 }).data]).toEqual(want);
    });
    for (const r of ROWS) {
      it(`refuses ${r.name} (${r.code})`, () => {
        let caught: unknown = null;
        try {
          ops.quantizedCat(...r.call());
        } catch (e) {
          caught = e;
        }
        expect(isQconformError(caught), String(caught)).toBe(true);
        expect((caught as { code: string }).code).toBe(r.code);
        expect(String((caught as Error).message)).toContain(r.mentions);
      });
    }
  });
}
