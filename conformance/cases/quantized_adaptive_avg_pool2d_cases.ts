/**
 * Case generators of quantized_adaptive_avg_pool2d@1 (contract/quantized_adaptive_avg_pool2d.ts): 3-D and 4-D inputs,
 * both memory formats (with the contiguous shapes torch runs through its NHWC kernel: C = 1, H = W = 1), output sizes
 * below, at and above the input's (overlapping and one-element windows), channel counts around the AVX2 and AVX512
 * blocks of 8 and 16, ResNet's and MobileNetV2's [1, C, 7, 7] -> (1, 1). Where the kernels part (a mean on a tie,
 * decided by where the zero point is added and by the NCHW kernel's float32 reciprocal) random values seldom fall, so
 * half the cases are tie-rich: values from {v, v + 1}, odd zero points, windows of even size. Now and then a scale
 * whose float32 is 0 or inf (the NHWC kernel's multiplier is then NaN).
 */
import type { MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import { numel } from '../../contract/tensor.js';
import { type CaseFactory, QUANT8, hex64, wireInt } from './builders.js';
import { drawScale } from './floats.js';
import { drawPoolValues } from './pool_values.js';
import type { CaseRandom } from './random.js';

/** An input shape and layout: mostly 4-D, a few of the layouts torch treats as channels_last though contiguous. */
function drawInput(r: CaseRandom, big: boolean): { shape: number[]; memoryFormat: MemoryFormat } {
  if (big) return { shape: [1, r.pick([512, 96]), 7, 7], memoryFormat: r.bool(0.75) ? 'channels_last' : 'contiguous' };
  if (r.bool(0.15)) return { shape: [r.int(1, 20), r.int(1, 12), r.int(1, 12)], memoryFormat: 'contiguous' };
  const shape = [r.int(1, 2), r.bool(0.15) ? 1 : r.int(1, 40), r.int(1, 12), r.int(1, 12)];
  if (r.bool(0.08)) [shape[2], shape[3]] = [1, 1];
  return { shape, memoryFormat: r.bool(0.55) ? 'channels_last' : 'contiguous' };
}

/** An output size: (1, 1) often, else up to a few more than the input's (windows of one element, overlapping ones). */
function drawOutputSize(r: CaseRandom, h: number, w: number): [number, number] {
  if (r.bool(0.3)) return [1, 1];
  if (r.bool(0.2)) return [Math.max(1, h >> 1), Math.max(1, w >> 1)];
  return [r.int(1, h + 3), r.int(1, w + 3)];
}

export const quantizedAdaptiveAvgPool2dCase: CaseFactory = (r, index) => {
  const dtype = r.pick(QUANT8);
  const { shape, memoryFormat } = drawInput(r, index % 100 === 99);
  const [h, w] = shape.slice(-2) as [number, number];
  const tieRich = r.bool(0.5);
  const outputSize = tieRich && r.bool(0.5) ? ([Math.max(1, h >> 1), Math.max(1, w >> 1)] as [number, number]) : drawOutputSize(r, h, w);
  const n = numel(shape);
  const { x, zeroPoint } = drawPoolValues(r, n, dtype, tieRich);
  const scale = r.bool(0.04) ? r.pick([1e-60, 1e60]) : drawScale(r);
  return {
    op: 'quantized_adaptive_avg_pool2d@1',
    attrs: { scale: hex64(scale), zero_point: zeroPoint, output_size: outputSize, memory_format: memoryFormat },
    inputs: { x: wireInt(dtype, shape, x) },
  };
};
