/**
 * quantized_mul@1 refuses bad input with the contract's typed error, in reference/ and impl/ alike; each row passes with
 * its one defect removed (the base call). Also the refusals that keep it honest: a qint8 mul torch sends to XNNPACK, and
 * a broadcast whose elements the two forms would give differently (torch's broadcast split is not modelled).
 */
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../contract/errors.js';
import { expectQconformError } from '../support/qconform_error_assertions.js';
import type { QuantizedMulAttrs } from '../../contract/quantized_mul.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

const A = intTensor('quint8', [1, 3, 1, 1], [10, 20, 30]);
const B = intTensor('quint8', [1, 3, 2, 1], [5, 6, 7, 8, 9, 255]);
const ATTRS: QuantizedMulAttrs = { aScale: 0.5, aZeroPoint: 10, bScale: 0.25, bZeroPoint: 5, scale: 0.125, zeroPoint: 3, relu: false, cpuCapability: 'avx2', memoryFormat: 'contiguous', threads: 1 };

const ROWS: ReadonlyArray<{ name: string; code: ErrorCode; mentions: string; call: () => [IntTensor, IntTensor, QuantizedMulAttrs] }> = [
  { name: 'a qint32 a', code: 'invalid_dtype', mentions: 'a.dtype', call: () => [intTensor('qint32', [1, 3, 1, 1], [1, 2, 3]), B, ATTRS] },
  { name: 'b of another dtype', code: 'invalid_dtype', mentions: 'b.dtype', call: () => [A, intTensor('qint8', [1, 3, 2, 1], [1, 2, 3, 4, 5, 6]), ATTRS] },
  { name: 'shapes that do not broadcast', code: 'shape_mismatch', mentions: 'broadcast', call: () => [A, intTensor('quint8', [1, 2, 1, 1], [1, 2]), ATTRS] },
  { name: 'a value outside quint8', code: 'invalid_integer', mentions: 'b[5]', call: () => [A, intTensor('quint8', [1, 3, 2, 1], [5, 6, 7, 8, 9, 256]), ATTRS] },
  { name: 'a NaN scale', code: 'scale_not_finite', mentions: 'b_scale', call: () => [A, B, { ...ATTRS, bScale: NaN }] },
  { name: 'a zero output scale', code: 'scale_not_positive', mentions: 'scale', call: () => [A, B, { ...ATTRS, scale: 0 }] },
  { name: 'a zero point outside quint8', code: 'zero_point_out_of_range', mentions: 'a_zero_point', call: () => [A, B, { ...ATTRS, aZeroPoint: -1 }] },
  { name: 'a qint8 mul torch sends to XNNPACK (output zero point below 127)', code: 'unsupported_by_scheme', mentions: 'XNNPACK', call: () => [intTensor('qint8', [1, 3, 1, 1], [1, 2, 3]), intTensor('qint8', [1, 3, 2, 1], [1, 2, 3, 4, 5, 6]), { ...ATTRS, aZeroPoint: 0, bZeroPoint: 0, zeroPoint: 126 }] },
  { name: 'channels_last with a 3-D b', code: 'shape_mismatch', mentions: 'channels_last', call: () => [A, intTensor('quint8', [3, 2, 1], [5, 6, 7, 8, 9, 10]), { ...ATTRS, memoryFormat: 'channels_last' }] },
  { name: 'zero threads', code: 'invalid_integer', mentions: 'threads', call: () => [A, B, { ...ATTRS, threads: 0 }] },
  // (30 - 10)(255 - 5) = 5000 times m = 2^20: f32(c m) > 2^31, the forms part, and this is a broadcast
  { name: 'a broadcast where the forms part', code: 'unsupported_by_scheme', mentions: 'broadcast', call: () => [A, B, { ...ATTRS, scale: 0.125 / 2 ** 20 }] },
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: quantized_mul refuses bad input with typed errors`, () => {
    it('computes the base call, a broadcast: 0.5 (a - 10) 0.25 (b - 5) / 0.125 + 3', () => {
      // a - 10 = 0, 10, 20 per channel; b - 5 = 0, 1 | 2, 3 | 4, 250: c m with m = 1
      expect([...ops.quantizedMul(A, B, ATTRS).data]).toEqual([3, 3, 23, 33, 83, 255]);
    });
    it("gives the README's DEFAULT split, measured on torch 1.13.1: 70 elements of p = 2^31 - 256, z = 200 (0 for 0-63, 255 for 64-69; 255 for all under avx2)", () => {
      const a = intTensor('quint8', [70], new Array(70).fill(11));
      const b = intTensor('quint8', [70], new Array(70).fill(6));
      const attrs: QuantizedMulAttrs = { ...ATTRS, aScale: 2 ** 31 - 256, bScale: 1, scale: 1, zeroPoint: 200 };
      expect([...ops.quantizedMul(a, b, { ...attrs, cpuCapability: 'default' }).data]).toEqual([...new Array(64).fill(0), ...new Array(6).fill(255)]);
      expect([...ops.quantizedMul(a, b, attrs).data]).toEqual(new Array(70).fill(255));
    });
    for (const r of ROWS) {
      it(`refuses ${r.name} (${r.code})`, () => {
        expectQconformError(() => ops.quantizedMul(...r.call()), r.code, [r.mentions]);
      });
    }
  });
}
