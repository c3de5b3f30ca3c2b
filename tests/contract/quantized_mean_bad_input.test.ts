/**
 * quantized_mean@1 refuses bad input with the contract's typed error, in reference/ and impl/ alike; each row passes
 * with its one defect removed (the base call).
 */
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../contract/errors.js';
import type { QuantizedMeanAttrs } from '../../contract/quantized_mean.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { expectQconformError } from '../support/qconform_error_assertions.js';

// [1, 2, 2, 2]: channel 0 holds 1, 2, 3, 4 (mean 2.5), channel 1 holds 10, 10, 11, 255 (mean 71.5)
const X = intTensor('quint8', [1, 2, 2, 2], [1, 2, 3, 4, 10, 10, 11, 255]);
const ATTRS: QuantizedMeanAttrs = { xScale: 0.5, xZeroPoint: 3, dims: [2, 3], keepdim: false, memoryFormat: 'channels_last', cpuCapability: 'avx2', threads: 1 };

const ROWS: ReadonlyArray<{ name: string; code: ErrorCode; mentions: string; call: () => [IntTensor, QuantizedMeanAttrs] }> = [
  { name: 'a qint32 x', code: 'invalid_dtype', mentions: 'x.dtype', call: () => [intTensor('qint32', [1, 2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]), ATTRS] },
  { name: 'a 3-D x', code: 'shape_mismatch', mentions: 'x.shape', call: () => [intTensor('quint8', [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]), ATTRS] },
  { name: 'an empty dimension', code: 'shape_mismatch', mentions: 'x.shape', call: () => [intTensor('quint8', [1, 2, 0, 2], []), ATTRS] },
  { name: 'a value outside quint8', code: 'invalid_integer', mentions: 'x[1]', call: () => [intTensor('quint8', [1, 2, 2, 2], [0, 256, 0, 0, 0, 0, 0, 0]), ATTRS] },
  { name: 'a NaN scale', code: 'scale_not_finite', mentions: 'x_scale', call: () => [X, { ...ATTRS, xScale: NaN }] },
  { name: 'a zero scale', code: 'scale_not_positive', mentions: 'x_scale', call: () => [X, { ...ATTRS, xScale: 0 }] },
  { name: 'a zero point outside quint8', code: 'zero_point_out_of_range', mentions: 'x_zero_point', call: () => [X, { ...ATTRS, xZeroPoint: 256 }] },
  { name: 'a mean over the channels', code: 'unsupported_by_scheme', mentions: 'dim', call: () => [X, { ...ATTRS, dims: [1, 2] }] },
  { name: 'a mean over H alone', code: 'unsupported_by_scheme', mentions: 'dim', call: () => [X, { ...ATTRS, dims: [2] }] },
  { name: 'a dim named twice', code: 'unsupported_by_scheme', mentions: 'dim', call: () => [X, { ...ATTRS, dims: [2, -2] }] },
  { name: 'dims that are no list', code: 'malformed_request', mentions: 'dim', call: () => [X, { ...ATTRS, dims: 2 as unknown as number[] }] },
  { name: 'a keepdim that is no boolean', code: 'malformed_request', mentions: 'keepdim', call: () => [X, { ...ATTRS, keepdim: 1 as unknown as boolean }] },
  { name: 'an unknown capability', code: 'malformed_request', mentions: 'cpu_capability', call: () => [X, { ...ATTRS, cpuCapability: 'sse4' as 'avx2' }] },
  { name: 'an unknown memory format', code: 'malformed_request', mentions: 'memory_format', call: () => [X, { ...ATTRS, memoryFormat: 'nhwc' as 'contiguous' }] },
  { name: 'zero threads', code: 'invalid_integer', mentions: 'threads', call: () => [X, { ...ATTRS, threads: 0 }] },
  // torch raises: the inner path's [N, C] output cannot take x's channels_last format
  { name: 'a channels_last x of 1x1 pixels without keepdim', code: 'shape_mismatch', mentions: 'channels_last', call: () => [intTensor('quint8', [1, 8, 1, 1], [1, 2, 3, 4, 5, 6, 7, 8]), ATTRS] },
  { name: 'a channels_last x of one channel without keepdim', code: 'shape_mismatch', mentions: 'channels_last', call: () => [intTensor('quint8', [1, 1, 2, 4], [1, 2, 3, 4, 5, 6, 7, 8]), ATTRS] },
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: quantized_mean refuses bad input with typed errors`, () => {
    it('computes the base call on both paths: ties to even, and the shapes keepdim gives', () => {
      // inner path: nearbyint(10 / 4) = 2, nearbyint(286 / 4) = 72 (both ties, to even)
      expect([...ops.quantizedMean(X, { ...ATTRS, memoryFormat: 'contiguous' }).data]).toEqual([2, 72]);
      // float path: the mean of 0.5 (q - 3) is -0.25 and 34.25, quantized: 3 + nearbyint(-0.5) = 3, 3 + nearbyint(68.5) = 71
      expect([...ops.quantizedMean(X, ATTRS).data]).toEqual([3, 71]);
      expect(ops.quantizedMean(X, { ...ATTRS, keepdim: true }).shape).toEqual([1, 2, 1, 1]);
      expect(ops.quantizedMean(X, { ...ATTRS, dims: [-1, -2] }).shape).toEqual([1, 2]);
    });
    for (const r of ROWS) {
      it(`refuses ${r.name} (${r.code})`, () => {
        expectQconformError(() => ops.quantizedMean(...r.call()), r.code, [r.mentions]);
      });
    }
  });
}
