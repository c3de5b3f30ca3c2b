/**
 * The README's "Quantized mean" example, measured on torch 1.13.1 (Debian python3-torch, natively on an AVX-512 host,
 * one thread, under ATEN_CPU_CAPABILITY=avx2, avx512 and default): a channels_last [1, 40, 4, 4] quint8 tensor whose
 * channels 0 and 39 hold the same 16 values, whose exact mean is a tie (-2.5 steps). Under avx2 and default channel 0
 * lies in the 32 channels summed directly and channel 39 among those summed with four interleaved partials, and their
 * means part; under avx512 (blocks of 64) both are interleaved; a contiguous tensor sums integers. torch 2.6.0 (its
 * chroot, avx512) gives 125 and 126, its AVX512 sums of AVX2's width. The reference and impl give torch's outputs.
 */
import { describe, expect, it } from 'vitest';
import type { AtenCpuCapability, MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import { intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

const CHANNEL = [34, 123, 3, 11, 206, 251, 236, 168, 18, 111, 33, 226, 14, 184, 197, 193];
const X = intTensor('quint8', [1, 40, 4, 4], Array.from({ length: 40 }, (_, c) => (c === 0 || c === 39 ? CHANNEL : new Array(16).fill(128))).flat());

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: torch 1.13's mean of two equal channels parts by where they lie`, () => {
    it('gives 125 for channel 0 and 126 for channel 39 under avx2 and default, 126 for both under avx512 and when contiguous', () => {
      const at = (cpuCapability: AtenCpuCapability, memoryFormat: MemoryFormat = 'channels_last') => {
        const y = ops.quantizedMean(X, { xScale: 0.1, xZeroPoint: 128, dims: [2, 3], keepdim: false, memoryFormat, cpuCapability, threads: 1 }).data;
        return [y[0], y[39], new Set(Array.from(y).slice(1, 39))];
      };
      expect(at('avx2')).toEqual([125, 126, new Set([128])]);
      expect(at('default')).toEqual([125, 126, new Set([128])]);
      expect(at('avx512')).toEqual([126, 126, new Set([128])]);
      expect(at('avx2', 'contiguous')).toEqual([126, 126, new Set([128])]);
    });

    it("torch 2.6's (quantized_mean@2) sums under avx512 with AVX2's width: 125 and 126 there too", () => {
      const y = ops.quantizedMean(X, { xScale: 0.1, xZeroPoint: 128, dims: [2, 3], keepdim: false, memoryFormat: 'channels_last', cpuCapability: 'avx512', threads: 1, semantics: 2 }).data;
      expect([y[0], y[39]]).toEqual([125, 126]);
    });
  });
}
