/**
 * quantized_adaptive_avg_pool2d@1 refuses bad input with the contract's typed error, in reference/ and impl/ alike; each
 * row passes with its one defect removed (the base call).
 */
import { describe, expect, it } from 'vitest';
import { type ErrorCode, isQconformError } from '../../contract/errors.js';
import type { QuantizedAdaptiveAvgPool2dAttrs } from '../../contract/quantized_adaptive_avg_pool2d.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

// two channels of a 2x2 window: 1, 1, 1, 3 (mean 1.5) and 4, 4, 4, 4
const X = intTensor('quint8', [1, 2, 2, 2], [1, 1, 1, 3, 4, 4, 4, 4]);
const ATTRS: QuantizedAdaptiveAvgPool2dAttrs = { scale: 0.1, zeroPoint: 1, outputSize: [1, 1], memoryFormat: 'contiguous' };

const ROWS: ReadonlyArray<{ name: string; code: ErrorCode; mentions: string; call: () => [IntTensor, QuantizedAdaptiveAvgPool2dAttrs] }> = [
  { name: 'a qint32 x', code: 'invalid_dtype', mentions: 'x.dtype', call: () => [intTensor('qint32', [1, 2, 2, 2], [1, 1, 1, 3, 4, 4, 4, 4]), ATTRS] },
  { name: 'a 2-D x', code: 'shape_mismatch', mentions: '[N, C, H, W]', call: () => [intTensor('quint8', [2, 4], [1, 1, 1, 3, 4, 4, 4, 4]), ATTRS] },
  { name: 'an empty dimension', code: 'shape_mismatch', mentions: 'at least 1', call: () => [intTensor('quint8', [1, 2, 0, 2], []), ATTRS] },
  { name: 'a value outside quint8', code: 'invalid_integer', mentions: 'x[3]', call: () => [intTensor('quint8', [1, 2, 2, 2], [1, 1, 1, 256, 4, 4, 4, 4]), ATTRS] },
  { name: 'an infinite scale', code: 'scale_not_finite', mentions: 'scale', call: () => [X, { ...ATTRS, scale: Infinity }] },
  { name: 'a negative scale', code: 'scale_not_positive', mentions: 'scale', call: () => [X, { ...ATTRS, scale: -0.1 }] },
  { name: 'a zero point outside quint8', code: 'zero_point_out_of_range', mentions: 'zero_point', call: () => [X, { ...ATTRS, zeroPoint: -1 }] },
  { name: 'an output size of 0', code: 'malformed_request', mentions: 'output_size', call: () => [X, { ...ATTRS, outputSize: [0, 1] }] },
  { name: 'an output size of three numbers', code: 'malformed_request', mentions: 'output_size', call: () => [X, { ...ATTRS, outputSize: [1, 1, 1] as unknown as [number, number] }] },
  { name: 'an unknown memory format', code: 'malformed_request', mentions: 'memory_format', call: () => [X, { ...ATTRS, memoryFormat: 'nhwc' as 'contiguous' }] },
  { name: 'channels_last on a 3-D x', code: 'shape_mismatch', mentions: 'channels_last', call: () => [intTensor('quint8', [2, 2, 2], [1, 1, 1, 3, 4, 4, 4, 4]), { ...ATTRS, memoryFormat: 'channels_last' }] },
  { name: 'an absurd output size', code: 'too_large', mentions: 'output elements', call: () => [X, { ...ATTRS, outputSize: [1 << 20, 1 << 20] }] },
  { name: "windows whose index product overflows torch's int32", code: 'too_large', mentions: 'OH * H', call: () => [intTensor('quint8', [1, 1, 1 << 16, 1], new Array(1 << 16).fill(3)), { ...ATTRS, outputSize: [1 << 16, 1] }] },
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: quantized_adaptive_avg_pool2d refuses bad input with typed errors`, () => {
    it('computes the base call in both kernels: NCHW rounds the mean 1.5 to 2, NHWC rounds 1.5 - 1 to 0 and adds 1', () => {
      expect([...ops.quantizedAdaptiveAvgPool2d(X, ATTRS).data]).toEqual([2, 4]);
      expect([...ops.quantizedAdaptiveAvgPool2d(X, { ...ATTRS, memoryFormat: 'channels_last' }).data]).toEqual([1, 4]);
    });
    for (const r of ROWS) {
      it(`refuses ${r.name} (${r.code})`, () => {
        let caught: unknown = null;
        try {
          ops.quantizedAdaptiveAvgPool2d(...r.call());
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
