/**
 * qnnpack_add@1 refuses bad input with the contract's typed error, in reference/ and impl/ alike; each row passes with
 * its one defect removed (the base call). The unsupported_by_scheme rows are torch's own refusals (QNNPACK's create
 * fails: "failed to create QNNPACK Add operator", measured on torch 1.13.1).
 */
import { describe, expect, it } from 'vitest';
import { type ErrorCode, isQconformError } from '../../contract/errors.js';
import type { QnnpackAddAttrs } from '../../contract/qnnpack_add.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

const A = intTensor('quint8', [4], [10, 11, 12, 13]);
const B = intTensor('quint8', [4], [3, 3, 3, 3]);
// ratios 1 and 1/2 over the output scale: y = (a - 4) + (b - 3) / 2 + 5, exact; (a - 4) = 7 gives 12
const ATTRS: QnnpackAddAttrs = { aScale: 0.5, aZeroPoint: 4, bScale: 0.25, bZeroPoint: 1, scale: 0.5, zeroPoint: 5, relu: false };

const ROWS: ReadonlyArray<{ name: string; code: ErrorCode; mentions: string; call: () => [IntTensor, IntTensor, QnnpackAddAttrs] }> = [
  { name: 'a qint8 a (xnnp_add)', code: 'invalid_dtype', mentions: 'a.dtype', call: () => [intTensor('qint8', [4], [10, 11, 12, 13]), B, ATTRS] },
  { name: 'b of another shape (qadd_kernel)', code: 'shape_mismatch', mentions: 'b.shape', call: () => [A, intTensor('quint8', [1, 4], [3, 3, 3, 3]), ATTRS] },
  { name: 'an empty tensor', code: 'shape_mismatch', mentions: 'every dimension', call: () => [intTensor('quint8', [0], []), intTensor('quint8', [0], []), ATTRS] },
  { name: 'a value outside quint8', code: 'invalid_integer', mentions: 'a[1]', call: () => [intTensor('quint8', [4], [10, 256, 12, 13]), B, ATTRS] },
  { name: 'a NaN scale', code: 'scale_not_finite', mentions: 'a_scale', call: () => [A, B, { ...ATTRS, aScale: NaN }] },
  { name: 'a zero point outside quint8', code: 'zero_point_out_of_range', mentions: 'b_zero_point', call: () => [A, B, { ...ATTRS, bZeroPoint: -1 }] },
  { name: 'a scale whose float32 is subnormal', code: 'unsupported_by_scheme', mentions: 'positive normal', call: () => [A, B, { ...ATTRS, aScale: 1e-40 }] },
  { name: 'an output scale whose float32 is inf', code: 'unsupported_by_scheme', mentions: 'scale', call: () => [A, B, { ...ATTRS, scale: 1e39 }] },
  { name: 'ReLU with zero point 255', code: 'unsupported_by_scheme', mentions: '[255, 255]', call: () => [A, B, { ...ATTRS, relu: true, zeroPoint: 255 }] },
  { name: 'a ratio of 2^8', code: 'unsupported_by_scheme', mentions: '[2^-14, 2^8)', call: () => [A, B, { ...ATTRS, aScale: 128 }] },
  { name: 'a ratio below 2^-14', code: 'unsupported_by_scheme', mentions: '[2^-14, 2^8)', call: () => [A, B, { ...ATTRS, bScale: 0.5 * 2 ** -15 }] },
  { name: 'a non-boolean relu', code: 'malformed_request', mentions: 'relu', call: () => [A, B, { ...ATTRS, relu: 1 as unknown as boolean }] },
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: qnnpack_add refuses bad input with typed errors`, () => {
    it('computes the base call: (a - 4) + (b - 1) / 2 + 5, and ReLU clamps at the zero point', () => {
      expect([...ops.qnnpackAdd(A, B, ATTRS).data]).toEqual([12, 13, 14, 15]);
      expect([...ops.qnnpackAdd(intTensor('quint8', [4], [0, 1, 2, 3]), B, { ...ATTRS, relu: true }).data]).toEqual([5, 5, 5, 5]);
    });
    it('rounds an exact half away from zero: (b - 1) / 2 = 1/2 and -1/2 give 1 and -1', () => {
      const a = intTensor('quint8', [2], [4, 4]);
      const b = intTensor('quint8', [2], [2, 0]);
      expect([...ops.qnnpackAdd(a, b, ATTRS).data]).toEqual([6, 4]);
    });
    for (const r of ROWS) {
      it(`refuses ${r.name} (${r.code})`, () => {
        let caught: unknown = null;
        try {
          ops.qnnpackAdd(...r.call());
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
