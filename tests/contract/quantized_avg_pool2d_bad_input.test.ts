/**
 * quantized_avg_pool2d@1 and @2 refuse bad input with the contract's typed error, in reference/ and impl/ alike; each row
 * passes with its one defect removed (the base call).
 */
import { describe, expect, it } from 'vitest';
import { type ErrorCode, isQconformError } from '../../contract/errors.js';
import type { QuantizedAvgPool2dAttrs } from '../../contract/quantized_avg_pool2d.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

// two channels of a 2x2 window: 1, 1, 1, 3 (mean 1.5) and 4, 4, 4, 4
const X = intTensor('quint8', [1, 2, 2, 2], [1, 1, 1, 3, 4, 4, 4, 4]);
const ATTRS: QuantizedAvgPool2dAttrs = { scale: 0.1, zeroPoint: 1, kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], ceilMode: false, countIncludePad: true, divisorOverride: null, memoryFormat: 'contiguous', cpuCapability: 'avx2' };

const ROWS: ReadonlyArray<{ name: string; code: ErrorCode; mentions: string; call: () => [IntTensor, QuantizedAvgPool2dAttrs] }> = [
  { name: 'a qint32 x', code: 'invalid_dtype', mentions: 'x.dtype', call: () => [intTensor('qint32', [1, 2, 2, 2], [1, 1, 1, 3, 4, 4, 4, 4]), ATTRS] },
  { name: 'a 2-D x', code: 'shape_mismatch', mentions: '[N, C, H, W]', call: () => [intTensor('quint8', [2, 4], [1, 1, 1, 3, 4, 4, 4, 4]), ATTRS] },
  { name: 'an empty dimension', code: 'shape_mismatch', mentions: 'at least 1', call: () => [intTensor('quint8', [1, 2, 0, 2], []), ATTRS] },
  { name: 'a value outside quint8', code: 'invalid_integer', mentions: 'x[3]', call: () => [intTensor('quint8', [1, 2, 2, 2], [1, 1, 1, 256, 4, 4, 4, 4]), ATTRS] },
  { name: 'a NaN scale', code: 'scale_not_finite', mentions: 'scale', call: () => [X, { ...ATTRS, scale: NaN }] },
  { name: 'a zero point outside quint8', code: 'zero_point_out_of_range', mentions: 'zero_point', call: () => [X, { ...ATTRS, zeroPoint: 256 }] },
  { name: 'a kernel of 0', code: 'malformed_request', mentions: 'kernel_size', call: () => [X, { ...ATTRS, kernelSize: [0, 2] }] },
  { name: 'a stride of 0', code: 'malformed_request', mentions: 'stride', call: () => [X, { ...ATTRS, stride: [2, 0] }] },
  { name: 'a negative padding', code: 'malformed_request', mentions: 'padding', call: () => [X, { ...ATTRS, padding: [-1, 0] }] },
  { name: 'a padding above half the kernel', code: 'malformed_request', mentions: 'half the kernel', call: () => [X, { ...ATTRS, kernelSize: [1, 2], padding: [1, 0] }] },
  { name: 'a kernel larger than the padded input', code: 'shape_mismatch', mentions: 'output size', call: () => [X, { ...ATTRS, kernelSize: [3, 2], stride: [1, 1] }] },
  { name: 'a divisor_override of 0', code: 'malformed_request', mentions: 'divisor_override', call: () => [X, { ...ATTRS, divisorOverride: 0 }] },
  { name: 'a divisor_override beyond int32', code: 'malformed_request', mentions: 'divisor_override', call: () => [X, { ...ATTRS, divisorOverride: 2 ** 31 }] },
  { name: 'a non-boolean ceil_mode', code: 'malformed_request', mentions: 'ceil_mode', call: () => [X, { ...ATTRS, ceilMode: 1 as unknown as boolean }] },
  { name: 'an unknown memory format', code: 'malformed_request', mentions: 'memory_format', call: () => [X, { ...ATTRS, memoryFormat: 'nhwc' as 'contiguous' }] },
  { name: 'channels_last on a 3-D x', code: 'shape_mismatch', mentions: 'channels_last', call: () => [intTensor('quint8', [2, 2, 2], [1, 1, 1, 3, 4, 4, 4, 4]), { ...ATTRS, memoryFormat: 'channels_last' }] },
  { name: 'an unknown capability', code: 'malformed_request', mentions: 'cpu_capability', call: () => [X, { ...ATTRS, cpuCapability: 'sse4' as 'avx2' }] },
  { name: 'an unknown version', code: 'malformed_request', mentions: 'semantics', call: () => [X, { ...ATTRS, semantics: 3 as 2 }] },
  { name: 'an absurd kernel', code: 'too_large', mentions: 'kernel_size', call: () => [X, { ...ATTRS, kernelSize: [2 ** 21, 2] }] },
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: quantized_avg_pool2d refuses bad input with typed errors`, () => {
    it('computes the base call in both kernels: NCHW rounds 1.5 + 1 to 2, NHWC rounds 1.5 - 1 to 0 and adds 1', () => {
      expect([...ops.quantizedAvgPool2d(X, ATTRS).data]).toEqual([2, 4]);
      expect([...ops.quantizedAvgPool2d(X, { ...ATTRS, memoryFormat: 'channels_last' }).data]).toEqual([1, 4]);
    });
    for (const r of ROWS) {
      it(`refuses ${r.name} (${r.code})`, () => {
        let caught: unknown = null;
        try {
          ops.quantizedAvgPool2d(...r.call());
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
