/**
 * qnnpack_mean@1 refuses bad input with the contract's typed error, in reference/ and impl/ alike; each row passes with
 * its one defect removed (the base call). The scale rows are QNNPACK's own refusals (torch raises "failed to create
 * QNNPACK Global Average Pooling operator"); the dims and qint8 rows are tensors torch means with quantized_mean@1's
 * kernels on the qnnpack engine too.
 */
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../contract/errors.js';
import type { QnnpackMeanAttrs } from '../../contract/qnnpack_mean.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { expectQconformError } from '../support/qconform_error_assertions.js';

// torch 1.13.1, measured: one channel of [0, 1] (1x2) at (0.1, 1). QNNPACK: sum - 2 z = -1, m = 0.5, -0.5 rounds half
// to even to 0, plus z: 1. x.mean([-2, -1]) (qmean_inner_dim_kernel): nearbyint(1 / 2) = 0. Under onednn both give 0.
const X = intTensor('quint8', [1, 1, 1, 2], [0, 1]);
const ATTRS: QnnpackMeanAttrs = { xScale: 0.1, xZeroPoint: 1, dims: [2, 3], keepdim: false };

const ROWS: ReadonlyArray<{ name: string; code: ErrorCode; mentions: string; call: () => [IntTensor, QnnpackMeanAttrs] }> = [
  { name: 'dims [-2, -1] (torch runs quantized_mean@1)', code: 'unsupported_by_scheme', mentions: 'quantized_mean@1', call: () => [X, { ...ATTRS, dims: [-2, -1] }] },
  { name: 'dims [3, 2]', code: 'unsupported_by_scheme', mentions: '[2, 3] as written', call: () => [X, { ...ATTRS, dims: [3, 2] }] },
  { name: 'dims [2] (another reduction)', code: 'unsupported_by_scheme', mentions: 'dim', call: () => [X, { ...ATTRS, dims: [2] }] },
  { name: 'a qint8 x', code: 'invalid_dtype', mentions: 'quantized_mean@1', call: () => [intTensor('qint8', [1, 1, 1, 2], [0, 1]), ATTRS] },
  { name: 'a 3-D x', code: 'shape_mismatch', mentions: '4-D', call: () => [intTensor('quint8', [1, 1, 2], [0, 1]), ATTRS] },
  { name: 'an empty channel dimension', code: 'shape_mismatch', mentions: 'empty', call: () => [intTensor('quint8', [1, 0, 1, 2], []), ATTRS] },
  { name: 'a value outside quint8', code: 'invalid_integer', mentions: 'x[1]', call: () => [intTensor('quint8', [1, 1, 1, 2], [0, 256]), ATTRS] },
  { name: 'a NaN scale', code: 'scale_not_finite', mentions: 'x_scale', call: () => [X, { ...ATTRS, xScale: NaN }] },
  { name: 'a scale whose float32 is subnormal', code: 'unsupported_by_scheme', mentions: 'positive normal', call: () => [X, { ...ATTRS, xScale: 1e-40 }] },
  { name: 'a scale whose float32 is infinite', code: 'unsupported_by_scheme', mentions: 'positive normal', call: () => [X, { ...ATTRS, xScale: 1e39 }] },
  { name: 'a zero point outside quint8', code: 'zero_point_out_of_range', mentions: 'x_zero_point', call: () => [X, { ...ATTRS, xZeroPoint: 256 }] },
  { name: 'a non-boolean keepdim', code: 'malformed_request', mentions: 'keepdim', call: () => [X, { ...ATTRS, keepdim: 1 as unknown as boolean }] },
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: qnnpack_mean refuses bad input with typed errors`, () => {
    it("computes the base call as torch's qnnpack engine does, where quantized_mean@1 answers otherwise", () => {
      expect([...ops.qnnpackMean(X, ATTRS).data]).toEqual([1]);
      expect([...ops.qnnpackMean(X, { ...ATTRS, keepdim: true }).shape]).toEqual([1, 1, 1, 1]);
      expect([...ops.quantizedMean(X, { ...ATTRS, dims: [-2, -1], memoryFormat: 'contiguous', cpuCapability: 'avx2', threads: 1 }).data]).toEqual([0]);
    });
    for (const r of ROWS) {
      it(`refuses ${r.name} (${r.code})`, () => {
        expectQconformError(() => ops.qnnpackMean(...r.call()), r.code, [r.mentions]);
      });
    }
  });
}
