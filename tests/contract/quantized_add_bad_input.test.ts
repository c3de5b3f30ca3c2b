/**
 * quantized_add@1 refuses bad input with the contract's typed error, in reference/ and impl/ alike; each row passes with
 * its one defect removed (the base call).
 */
import { describe, expect, it } from 'vitest';
import { type ErrorCode, isQconformError } from '../../contract/errors.js';
import type { QuantizedAddAttrs } from '../../contract/quantized_add.js';
import { intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

const A = intTensor('quint8', [2, 3], [0, 10, 20, 30, 40, 255]);
const B = intTensor('quint8', [2, 3], [5, 5, 5, 5, 5, 5]);
const ATTRS: QuantizedAddAttrs = { aScale: 0.1, aZeroPoint: 10, bScale: 0.2, bZeroPoint: 5, scale: 0.25, zeroPoint: 3, relu: false, cpuCapability: 'avx2', memoryFormat: 'contiguous', threads: 1 };

const ROWS: ReadonlyArray<{ name: string; code: ErrorCode; mentions: string; call: () => [typeof A, typeof B, QuantizedAddAttrs] }> = [
  { name: 'a qint32 a', code: 'invalid_dtype', mentions: 'a.dtype', call: () => [intTensor('qint32', [2, 3], [1, 2, 3, 4, 5, 6]), B, ATTRS] },
  { name: 'b of another dtype', code: 'invalid_dtype', mentions: 'b.dtype', call: () => [A, intTensor('qint8', [2, 3], [1, 2, 3, 4, 5, 6]), ATTRS] },
  { name: 'b of another shape', code: 'shape_mismatch', mentions: 'broadcasting', call: () => [A, intTensor('quint8', [3], [1, 2, 3]), ATTRS] },
  { name: 'a value outside quint8', code: 'invalid_integer', mentions: 'a[1]', call: () => [intTensor('quint8', [2, 3], [0, 256, 0, 0, 0, 0]), B, ATTRS] },
  { name: 'a NaN scale', code: 'scale_not_finite', mentions: 'a_scale', call: () => [A, B, { ...ATTRS, aScale: NaN }] },
  { name: 'a zero output scale', code: 'scale_not_positive', mentions: 'scale', call: () => [A, B, { ...ATTRS, scale: 0 }] },
  { name: 'a zero point outside quint8', code: 'zero_point_out_of_range', mentions: 'b_zero_point', call: () => [A, B, { ...ATTRS, bZeroPoint: 300 }] },
  { name: 'an unknown capability', code: 'malformed_request', mentions: 'cpu_capability', call: () => [A, B, { ...ATTRS, cpuCapability: 'avx' as 'avx2' }] },
  { name: 'channels_last on a 2-D tensor', code: 'shape_mismatch', mentions: 'channels_last', call: () => [A, B, { ...ATTRS, memoryFormat: 'channels_last' }] },
  { name: 'zero threads', code: 'invalid_integer', mentions: 'threads', call: () => [A, B, { ...ATTRS, threads: 0 }] },
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: quantized_add refuses bad input with typed errors`, () => {
    it('computes the base call: (0.1 (a - 10) + 0.2 (b - 5)) / 0.25 + 3', () => {
      expect([...ops.quantizedAdd(A, B, ATTRS).data]).toEqual([-4, 0, 4, 8, 12, 98].map((v) => Math.max(0, v + 3)));
    });
    for (const r of ROWS) {
      it(`refuses ${r.name} (${r.code})`, () => {
        let caught: unknown = null;
        try {
          ops.quantizedAdd(...r.call());
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
