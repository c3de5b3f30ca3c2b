/**
 * QNNPACK's add against ATen's qadd_kernel on the README's examples, each measured on torch 1.13.1 (Debian
 * python3-torch; torch.ops.quantized.add under torch.backends.quantized.engine = 'qnnpack', then 'onednn'):
 *  - ties: a = [4, 4, 6] at (0.5, 4), b = [0, 2, 0] at (0.25, 1), output (0.5, 5): the sums -0.25, 0.25, 1 are -1/2, 1/2
 *    and 2 output steps; QNNPACK rounds half away from zero (4, 6, 7), qadd_kernel half to even (5, 5, 7);
 *  - ratios below 2^-10: a = b = [0, 128, 255, 200] at (0.0009, 0), output (1.0, 0): the sums are at most 0.46, so 0;
 *    QNNPACK's scalar loop (4 elements) gives 0, 255, 255, 255, its SSE2 body (the same 8 times over) 0s; and with b
 *    all 0 at zero point 9 and output zero point 9, the SSE2 body gives 8 where the sum is negative.
 */
import { describe, expect, it } from 'vitest';
import { intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

const q = (values: number[]) => intTensor('quint8', [values.length], values);

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: QNNPACK's add gives torch's qnnpack-engine answers`, () => {
    it('rounds ties away from zero where qadd_kernel rounds them to even', () => {
      const attrs = { aScale: 0.5, aZeroPoint: 4, bScale: 0.25, bZeroPoint: 1, scale: 0.5, zeroPoint: 5, relu: false };
      expect([...ops.qnnpackAdd(q([4, 4, 6]), q([0, 2, 0]), attrs).data]).toEqual([4, 6, 7]);
      const aten = ops.quantizedAdd(q([4, 4, 6]), q([0, 2, 0]), { ...attrs, cpuCapability: 'avx2', memoryFormat: 'contiguous', threads: 1 });
      expect([...aten.data]).toEqual([5, 5, 7]);
    });

    it('shifts by 32 below a ratio of 2^-10: the scalar loop and the SSE2 body give other garbage', () => {
      const attrs = { aScale: 0.0009, aZeroPoint: 0, bScale: 0.0009, bZeroPoint: 0, scale: 1, zeroPoint: 0, relu: false };
      const x = [0, 128, 255, 200];
      expect([...ops.qnnpackAdd(q(x), q(x), attrs).data]).toEqual([0, 255, 255, 255]);
      expect([...ops.qnnpackAdd(q([...x, ...x]), q([...x, ...x]), attrs).data]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
      const zeros = q(new Array(8).fill(0));
      expect([...ops.qnnpackAdd(q([...x, ...x]), zeros, { ...attrs, bZeroPoint: 9, zeroPoint: 9 }).data]).toEqual([8, 9, 9, 9, 8, 9, 9, 9]);
    });
  });
}
