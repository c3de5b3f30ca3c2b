/**
 * xnnpack_add@1 refuses bad input with the contract's typed error, in reference/ and impl/ alike; each row passes with
 * its one defect removed (the base call). The unsupported_by_scheme rows are torch's own refusals (XNNPACK's create
 * fails: "xnnp_add(): xnn create operator failed", measured on torch 1.13.1).
 */
import { describe, expect, it } from 'vitest';
import { type ErrorCode, isQconformError } from '../../contract/errors.js';
import type { XnnpackAddAttrs } from '../../contract/xnnpack_add.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

const q = (values: number[], shape = [values.length]) => intTensor('qint8', shape, values);
const A = q([0, 0, 0, 0, 1, -1, 3, -3]);
const B = q([1, -1, 3, -3, 0, 0, 1, -1]);
const ATTRS: XnnpackAddAttrs = { aScale: 0.5, aZeroPoint: 0, bScale: 0.25, bZeroPoint: 0, scale: 0.5, zeroPoint: 0, relu: false };

const ROWS: ReadonlyArray<{ name: string; code: ErrorCode; mentions: string; call: () => [IntTensor, IntTensor, XnnpackAddAttrs] }> = [
  { name: 'a quint8 a (QNNPACK adds it)', code: 'invalid_dtype', mentions: 'a.dtype', call: () => [intTensor('quint8', [8], [0, 0, 0, 0, 1, 1, 3, 3]), B, ATTRS] },
  { name: 'b of another shape', code: 'shape_mismatch', mentions: 'b.shape', call: () => [A, q([1, -1, 3, -3, 0, 0, 1, -1], [1, 8]), ATTRS] },
  { name: 'a value outside qint8', code: 'invalid_integer', mentions: 'a[1]', call: () => [q([0, 128, 0, 0, 1, -1, 3, -3]), B, ATTRS] },
  { name: 'a scale whose float32 is subnormal', code: 'unsupported_by_scheme', mentions: 'positive normal', call: () => [A, B, { ...ATTRS, bScale: 1e-40 }] },
  { name: 'ReLU with zero point 127', code: 'unsupported_by_scheme', mentions: '[127, 127]', call: () => [A, B, { ...ATTRS, relu: true, zeroPoint: 127 }] },
  { name: 'a ratio below 2^-10', code: 'unsupported_by_scheme', mentions: '[2^-10, 2^8)', call: () => [A, B, { ...ATTRS, aScale: 0.5 * 2 ** -11 }] },
  { name: 'a ratio of 2^8', code: 'unsupported_by_scheme', mentions: '[2^-10, 2^8)', call: () => [A, B, { ...ATTRS, bScale: 128 }] },
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: xnnpack_add refuses bad input with typed errors`, () => {
    // measured on torch 1.13.1 (qint8, engine qnnpack): halves go toward +inf, 1/2 to 1 and -1/2 to 0, 3/2 to 2, -3/2 to -1
    it("computes torch's answer: ties rounded half up", () => {
      expect([...ops.xnnpackAdd(A, B, ATTRS).data]).toEqual([1, 0, 2, -1, 1, -1, 4, -3]);
    });
    for (const r of ROWS) {
      it(`refuses ${r.name} (${r.code})`, () => {
        let caught: unknown = null;
        try {
          ops.xnnpackAdd(...r.call());
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
