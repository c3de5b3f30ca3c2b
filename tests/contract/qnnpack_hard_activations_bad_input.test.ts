/**
 * qnnpack_hardswish@1 and qnnpack_hardsigmoid@1 refuse bad input with the contract's typed error, in reference/ and
 * impl/ alike; each row passes with its one defect removed (the base call).
 */
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../contract/errors.js';
import { expectQconformError } from '../support/qconform_error_assertions.js';
import type { QnnpackHardswishAttrs } from '../../contract/qnnpack_hard_activations.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

const X = intTensor('quint8', [2, 3], [0, 10, 20, 30, 40, 255]);
const ATTRS: QnnpackHardswishAttrs = { xScale: 0.1, xZeroPoint: 30, scale: 0.05, zeroPoint: 7 };

const ROWS: ReadonlyArray<{ name: string; code: ErrorCode; mentions: string; hardswishOnly?: boolean; call: () => [IntTensor, QnnpackHardswishAttrs] }> = [
  { name: 'a qint8 x (ATen\'s kernel on this engine)', code: 'invalid_dtype', mentions: 'x.dtype', call: () => [intTensor('qint8', [2, 3], [1, 2, 3, 4, 5, 6]), ATTRS] },
  { name: 'a 0-d x', code: 'shape_mismatch', mentions: 'at least one dimension', call: () => [intTensor('quint8', [], [5]), ATTRS] },
  { name: 'an empty x', code: 'shape_mismatch', mentions: 'non-empty', call: () => [intTensor('quint8', [0, 3], []), ATTRS] },
  { name: 'a value outside quint8', code: 'invalid_integer', mentions: 'x[1]', call: () => [intTensor('quint8', [2, 3], [0, 256, 0, 0, 0, 0]), ATTRS] },
  { name: 'a NaN input scale', code: 'scale_not_finite', mentions: 'x_scale', call: () => [X, { ...ATTRS, xScale: NaN }] },
  { name: 'an input scale whose float32 is subnormal', code: 'unsupported_by_scheme', mentions: 'x_scale', call: () => [X, { ...ATTRS, xScale: 1e-40 }] },
  { name: 'an input scale whose float32 is inf', code: 'unsupported_by_scheme', mentions: 'x_scale', call: () => [X, { ...ATTRS, xScale: 1e39 }] },
  { name: 'an output scale whose float32 is 0', code: 'unsupported_by_scheme', mentions: 'scale', hardswishOnly: true, call: () => [X, { ...ATTRS, scale: 1e-50 }] },
  { name: 'an output zero point outside quint8', code: 'zero_point_out_of_range', mentions: 'zero_point', hardswishOnly: true, call: () => [X, { ...ATTRS, zeroPoint: -1 }] },
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: qnnpack_hardswish and qnnpack_hardsigmoid refuse bad input with typed errors`, () => {
    it("compute the base call: QNNPACK's tables, hardswish 20 (d * r / 6) + 7 at d = 0.1 (x - 30), hardsigmoid 256 r / 6", () => {
      // d = -3, -2, -1, 0, 1, 22.5: hardswish 0, -1/3, -1/3, 0, 2/3, 22.5 -> 7, 0.33, 0.33, 7, 20.33, 457 (clamped);
      // hardsigmoid 0, 1/6, 1/3, 1/2, 2/3, 1 -> 0, 42.67, 85.33, 128, 170.67, 256 (clamped)
      expect([...ops.qnnpackHardswish(X, ATTRS).data]).toEqual([7, 0, 0, 7, 20, 255]);
      expect([...ops.qnnpackHardsigmoid(X, ATTRS).data]).toEqual([0, 43, 85, 128, 171, 255]);
    });
    it("gives the README's tie, measured on torch 1.13.1: hardswish of 5 at (1, 0) to (2, 3) is 6 on qnnpack (5.5 to even), 5 on onednn (2.5 to even, + 3)", () => {
      const x = intTensor('quint8', [1], [5]);
      expect([...ops.qnnpackHardswish(x, { xScale: 1, xZeroPoint: 0, scale: 2, zeroPoint: 3 }).data]).toEqual([6]);
      expect([...ops.quantizedHardswish(x, { xScale: 1, xZeroPoint: 0, scale: 2, zeroPoint: 3, cpuCapability: 'avx2', memoryFormat: 'contiguous', threads: 1 }).data]).toEqual([5]);
    });
    for (const r of ROWS) {
      for (const op of r.hardswishOnly ? (['qnnpackHardswish'] as const) : (['qnnpackHardswish', 'qnnpackHardsigmoid'] as const)) {
        it(`${op} refuses ${r.name} (${r.code})`, () => {
          expectQconformError(() => ops[op](...r.call()), r.code, [r.mentions]);
        });
      }
    }
  });
}
