/**
 * qnnpack_avg_pool2d@1 refuses bad input with the contract's typed error, in reference/ and impl/ alike; each row passes
 * with its one defect removed (the base call). The unsupported_by_scheme rows are QNNPACK's own refusals (torch raises
 * "failed to create QNNPACK Average Pooling operator"), the 3-D row torch's qnnpack_avg_pool2d check.
 */
import { describe, expect, it } from 'vitest';
import { type ErrorCode, isQconformError } from '../../contract/errors.js';
import type { QnnpackAvgPool2dAttrs } from '../../contract/qnnpack_avg_pool2d.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

// one channel, 2x2: 1, 1, 1, 3 with zero point 1: sum - 4 z = 2, the mean 0.5 rounds to even: 0, plus z
const X = intTensor('quint8', [1, 1, 2, 2], [1, 1, 1, 3]);
const ATTRS: QnnpackAvgPool2dAttrs = { scale: 0.1, zeroPoint: 1, kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], countIncludePad: true, divisorOverride: null };

const ROWS: ReadonlyArray<{ name: string; code: ErrorCode; mentions: string; call: () => [IntTensor, QnnpackAvgPool2dAttrs] }> = [
  { name: 'a qint8 x (ATen pools it)', code: 'invalid_dtype', mentions: 'x.dtype', call: () => [intTensor('qint8', [1, 1, 2, 2], [1, 1, 1, 3]), ATTRS] },
  { name: 'a 3-D x', code: 'shape_mismatch', mentions: '4-dimensional', call: () => [intTensor('quint8', [1, 2, 2], [1, 1, 1, 3]), ATTRS] },
  { name: 'a value outside quint8', code: 'invalid_integer', mentions: 'x[3]', call: () => [intTensor('quint8', [1, 1, 2, 2], [1, 1, 1, 256]), ATTRS] },
  { name: 'a NaN scale', code: 'scale_not_finite', mentions: 'scale', call: () => [X, { ...ATTRS, scale: NaN }] },
  { name: 'a 1x1 kernel', code: 'unsupported_by_scheme', mentions: '1x1', call: () => [X, { ...ATTRS, kernelSize: [1, 1] }] },
  { name: 'a scale whose float32 is 0', code: 'unsupported_by_scheme', mentions: 'positive normal', call: () => [X, { ...ATTRS, scale: 1e-60 }] },
  { name: 'a padding above half the kernel', code: 'malformed_request', mentions: 'half the kernel', call: () => [X, { ...ATTRS, kernelSize: [1, 2], padding: [1, 0] }] },
  { name: 'a kernel larger than the padded input', code: 'shape_mismatch', mentions: 'output size', call: () => [X, { ...ATTRS, kernelSize: [3, 2], stride: [1, 1] }] },
  { name: 'a divisor_override beyond int32', code: 'malformed_request', mentions: 'divisor_override', call: () => [X, { ...ATTRS, divisorOverride: 2 ** 31 }] },
  { name: 'a non-boolean count_include_pad', code: 'malformed_request', mentions: 'count_include_pad', call: () => [X, { ...ATTRS, countIncludePad: 0 as unknown as boolean }] },
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: qnnpack_avg_pool2d refuses bad input with typed errors`, () => {
    it('computes the base call: the mean 0.5 of q - z rounds half to even, then z is added', () => {
      expect([...ops.qnnpackAvgPool2d(X, ATTRS).data]).toEqual([1]);
    });
    // measured on torch 1.13.1: F.avg_pool2d(x, 2, 1, 1) of a [1, 1, 2, 2] tensor of 9s at (0.1, 0), with count_include_pad=False
    // or divisor_override=1, gives these under the qnnpack engine; under onednn 9s, and 9, 18, 9, 18, 36, ... for the divisor
    it('ignores count_include_pad and divisor_override, as torch does on this path: every window divides by the whole kernel', () => {
      const x = intTensor('quint8', [1, 1, 2, 2], [9, 9, 9, 9]);
      const attrs = { ...ATTRS, zeroPoint: 0, kernelSize: [2, 2] as const, stride: [1, 1] as const, padding: [1, 1] as const };
      const torch = [2, 4, 2, 4, 9, 4, 2, 4, 2];
      expect([...ops.qnnpackAvgPool2d(x, { ...attrs, countIncludePad: false }).data]).toEqual(torch);
      expect([...ops.qnnpackAvgPool2d(x, { ...attrs, divisorOverride: 1 }).data]).toEqual(torch);
      expect([...ops.quantizedAvgPool2d(x, { ...attrs, countIncludePad: false, ceilMode: false, memoryFormat: 'contiguous', cpuCapability: 'avx2' }).data]).toEqual(new Array(9).fill(9));
    });
    for (const r of ROWS) {
      it(`refuses ${r.name} (${r.code})`, () => {
        let caught: unknown = null;
        try {
          ops.qnnpackAvgPool2d(...r.call());
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
