/**
 * torch 1.13.1's QuantizeAvx512 stores elements 0-7 and then 0-3 twice of each 16 its 16-lane loop takes
 * (contract/quantize_avx512_store.ts). Measured on torch 1.13.1 (Debian python3-torch, ATEN_CPU_CAPABILITY=avx512): a
 * channels_last [1, 20, 8, 8] tensor whose channel c holds 10 c everywhere, F.avg_pool2d(x, 3, 1, 1), gives at an inner
 * pixel the channels below; under avx2, 10 c for every channel, and so does torch 2.6.0 (Debian 13) under avx512
 * (quantized_avg_pool2d@2).
 */
import { describe, expect, it } from 'vitest';
import type { QuantizedAvgPool2dAttrs } from '../../contract/quantized_avg_pool2d.js';
import { quantizeAvx512Source } from '../../contract/quantize_avx512_store.js';
import { intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

const TORCH_AVX512 = [0, 10, 20, 30, 40, 50, 60, 70, 0, 10, 20, 30, 0, 10, 20, 30, 160, 170, 180, 190];

describe('QuantizeAvx512 stores repeated elements in its 16-lane loop', () => {
  it('maps positions to the elements stored there: in order in the 64-loop and the scalar tail, 0-7 then 0-3 twice per 16 between', () => {
    expect(Array.from({ length: 16 }, (_, j) => quantizeAvx512Source(j, 16))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 0, 1, 2, 3]);
    expect(Array.from({ length: 64 }, (_, j) => quantizeAvx512Source(j, 64))).toEqual(Array.from({ length: 64 }, (_, j) => j));
    expect(quantizeAvx512Source(64 + 16 + 9, 96)).toBe(64 + 16 + 1);
    expect(quantizeAvx512Source(16, 17)).toBe(16); // the scalar tail
  });

  for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
    it(`${name}: gives torch 1.13's avg_pool2d outputs on a 20-channel channels_last tensor under avx512, and every channel's under avx2 and in torch 2.6's`, () => {
      const x = intTensor('quint8', [1, 20, 8, 8], Array.from({ length: 20 * 64 }, (_, i) => 10 * Math.floor(i / 64)));
      const attrs: QuantizedAvgPool2dAttrs = { scale: 0.1, zeroPoint: 0, kernelSize: [3, 3], stride: [1, 1], padding: [1, 1], ceilMode: false, countIncludePad: true, divisorOverride: null, memoryFormat: 'channels_last', cpuCapability: 'avx512' };
      const at = (y: ArrayLike<number>) => Array.from({ length: 20 }, (_, c) => y[(c * 8 + 4) * 8 + 4]);
      expect(at(ops.quantizedAvgPool2d(x, attrs).data)).toEqual(TORCH_AVX512);
      expect(at(ops.quantizedAvgPool2d(x, { ...attrs, cpuCapability: 'avx2' }).data)).toEqual(Array.from({ length: 20 }, (_, c) => 10 * c));
      // torch 2.6.0 (Debian 13, ATEN_CPU_CAPABILITY=avx512): its QuantizeAvx512 stores every element in place
      expect(at(ops.quantizedAvgPool2d(x, { ...attrs, semantics: 2 }).data)).toEqual(Array.from({ length: 20 }, (_, c) => 10 * c));
    });
  }
});
