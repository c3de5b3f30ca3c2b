/**
 * The README's "Quantized Hardswish and Hardsigmoid" examples, measured on torch 1.13.1 (Debian python3-torch, natively
 * on an AVX-512 host, under ATEN_CPU_CAPABILITY=avx2 (its default there), avx512 and default): 65 equal elements, of
 * which AVX2's loop computes 64 in the vector form and the last in the scalar form, while AVX512's step of 128 and
 * DEFAULT leave all 65 to the scalar form. The reference and impl give torch's outputs.
 */
import { describe, expect, it } from 'vitest';
import type { AtenCpuCapability } from '../../contract/aten_vectorized_loop.js';
import { intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

const elementwise = (cpuCapability: AtenCpuCapability) => ({ cpuCapability, memoryFormat: 'contiguous' as const, threads: 1 });
/** elements 0, 63 and 64 */
const ends = (data: ArrayLike<number>) => [data[0], data[63], data[64]];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: torch 1.13's hard activations part on the last element under avx2`, () => {
    it('hardsigmoid of 65 quint8 188 at (0.1464843600988388, 194): 91 from the vector form, 90 from the scalar form', () => {
      const x = intTensor('quint8', [65], new Array(65).fill(188));
      const at = (c: AtenCpuCapability) => ends(ops.quantizedHardsigmoid(x, { xScale: 0.1464843600988388, xZeroPoint: 194, ...elementwise(c) }).data);
      expect(at('avx2')).toEqual([91, 91, 90]);
      expect(at('avx512')).toEqual([90, 90, 90]);
      expect(at('default')).toEqual([90, 90, 90]);
    });

    it('hardswish of 65 qint8 -87 at (0.09426182508468628, -107) to (0.029805267229676247, -118): -66 vector, -67 scalar', () => {
      const x = intTensor('qint8', [65], new Array(65).fill(-87));
      const at = (c: AtenCpuCapability) => ends(ops.quantizedHardswish(x, { xScale: 0.09426182508468628, xZeroPoint: -107, scale: 0.029805267229676247, zeroPoint: -118, ...elementwise(c) }).data);
      expect(at('avx2')).toEqual([-66, -66, -67]);
      expect(at('avx512')).toEqual([-67, -67, -67]);
      expect(at('default')).toEqual([-67, -67, -67]);
    });
  });
}
