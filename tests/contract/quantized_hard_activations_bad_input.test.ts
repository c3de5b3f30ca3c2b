/**
 * quantized_hardswish@1 and quantized_hardsigmoid@1 refuse bad input with the contract's typed error, in reference/ and
 * impl/ alike; each row passes with its one defect removed (the base call).
 */
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../contract/errors.js';
import { expectQconformError } from '../support/qconform_error_assertions.js';
import type { QuantizedHardswishAttrs } from '../../contract/quantized_hard_activations.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

const X = intTensor('quint8', [2, 3], [0, 10, 20, 30, 40, 255]);
const ATTRS: QuantizedHardswishAttrs = { xScale: 0.1, xZeroPoint: 30, scale: 0.05, zeroPoint: 7, cpuCapability: 'avx2', memoryFormat: 'contiguous', threads: 1 };

const ROWS: ReadonlyArray<{ name: string; code: ErrorCode; mentions: string; hardswishOnly?: boolean; call: () => [IntTensor, QuantizedHardswishAttrs] }> = [
  { name: 'a qint32 x', code: 'invalid_dtype', mentions: 'x.dtype', call: () => [intTensor('qint32', [2, 3], [1, 2, 3, 4, 5, 6]), ATTRS] },
  { name: 'a value outside quint8', code: 'invalid_integer', mentions: 'x[1]', call: () => [intTensor('quint8', [2, 3], [0, 256, 0, 0, 0, 0]), ATTRS] },
  { name: 'a NaN input scale', code: 'scale_not_finite', mentions: 'x_scale', call: () => [X, { ...ATTRS, xScale: NaN }] },
  { name: 'a negative input scale', code: 'scale_not_positive', mentions: 'x_scale', call: () => [X, { ...ATTRS, xScale: -0.1 }] },
  { name: 'an input zero point outside quint8', code: 'zero_point_out_of_range', mentions: 'x_zero_point', call: () => [X, { ...ATTRS, xZeroPoint: -1 }] },
  { name: 'an infinite output scale', code: 'scale_not_finite', mentions: 'scale', hardswishOnly: true, call: () => [X, { ...ATTRS, scale: Infinity }] },
  { name: 'an output zero point outside quint8', code: 'zero_point_out_of_range', mentions: 'zero_point', hardswishOnly: true, call: () => [X, { ...ATTRS, zeroPoint: 256 }] },
  { name: 'an unknown capability', code: 'malformed_request', mentions: 'cpu_capability', call: () => [X, { ...ATTRS, cpuCapability: 'sse4' as 'avx2' }] },
  { name: 'an unknown memory format', code: 'malformed_request', mentions: 'memory_format', call: () => [X, { ...ATTRS, memoryFormat: 'nhwc' as 'contiguous' }] },
  { name: 'channels_last on a 2-D tensor', code: 'shape_mismatch', mentions: 'channels_last', call: () => [X, { ...ATTRS, memoryFormat: 'channels_last' }] },
  { name: 'zero threads', code: 'invalid_integer', mentions: 'threads', call: () => [X, { ...ATTRS, threads: 0 }] },
  { name: 'an op version torch does not have', code: 'malformed_request', mentions: 'semantics', call: () => [X, { ...ATTRS, semantics: 3 as 1 }] },
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: quantized_hardswish and quantized_hardsigmoid refuse bad input with typed errors`, () => {
    it('compute the base call: hardswish 0.1 (x - 30) / 0.05 + 7, hardsigmoid on 2^-8 steps', () => {
      // d = -3, -2, -1, 0, 1, 22.5: hardswish 0, -1/3, -1/3, 0, 2/3, 22.5; hardsigmoid 0, 1/6, 1/3, 1/2, 2/3, 1
      expect([...ops.quantizedHardswish(X, ATTRS).data]).toEqual([7, 0, 0, 7, 20, 255]);
      expect([...ops.quantizedHardsigmoid(X, ATTRS).data]).toEqual([0, 43, 85, 128, 171, 255]);
    });
    for (const r of ROWS) {
      for (const op of r.hardswishOnly ? (['quantizedHardswish'] as const) : (['quantizedHardswish', 'quantizedHardsigmoid'] as const)) {
        it(`${op} refuses ${r.name} (${r.code})`, () => {
          expectQconformError(() => ops[op](...r.call()), r.code, [r.mentions]);
        });
      }
    }
  });
}
