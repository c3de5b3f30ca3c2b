/**
 * quantized_avg_pool2d@1 and @2, fast twin of reference/ops/quantized_avg_pool2d.ts (torch 1.13.1's and 2.6.0's avg_pool2d on a quantized
 * tensor, contract/quantized_avg_pool2d.ts): the same float32 steps on doubles rounded to float32, integer sums in doubles
 * (every sum is below 2^31).
 */
import { DTYPE_RANGE } from '../contract/dtypes.js';
import type { QuantizedAvgPool2dAttrs } from '../contract/quantized_avg_pool2d.js';
import { avgPoolWindow, checkQuantizedAvgPool2d } from '../contract/quantized_avg_pool2d_checks.js';
import { type IntTensor, intTensor } from '../contract/tensor.js';
import { pooledOutputIndex } from '../contract/torch_pool_layout.js';
import { vectorQuantize } from './aten_vectorized_quantized.js';
import { clampInt, f32Add, f32Div, f32Mul, f32OfF64Reciprocal, nearbyint } from './float32.js';
import { inverseScale, quantizeValue } from './quantize.js';

export function quantizedAvgPool2d(x: IntTensor, attrs: QuantizedAvgPool2dAttrs): IntTensor {
  const g = checkQuantizedAvgPool2d(x, attrs);
  const s = Math.fround(attrs.scale);
  const z = attrs.zeroPoint;
  const { min, max } = DTYPE_RANGE[g.dtype];
  const rows = Array.from({ length: g.oh }, (_, o) => avgPoolWindow(o, attrs.stride[0], attrs.padding[0], attrs.kernelSize[0], g.h));
  const cols = Array.from({ length: g.ow }, (_, o) => avgPoolWindow(o, attrs.stride[1], attrs.padding[1], attrs.kernelSize[1], g.w));
  const { vectorChannels, storedChannels } = g;
  const data = x.data;
  const y = new Int32Array(g.n * g.c * g.oh * g.ow);
  const values = new Int32Array(g.c);
  for (let oy = 0; oy < g.oh; oy++) {
    const r = rows[oy]!;
    for (let ox = 0; ox < g.ow; ox++) {
      const c = cols[ox]!;
      const size = (r.to - r.from) * (c.to - c.from);
      const divisor = attrs.divisorOverride ?? (attrs.countIncludePad ? r.padded * c.padded : size);
      // NHWC: m = f32(f32(s / s) / f32(divisor)), and quantize_val's inverse f32(1 / f32(1 / m)); NCHW: f32(1.0 / divisor)
      const m = g.kernel === 'nhwc' ? f32Div(f32Div(s, s), Math.fround(divisor)) : f32OfF64Reciprocal(divisor);
      const inv = inverseScale(f32Div(1, m));
      for (let b = 0; b < g.n; b++) {
        for (let ch = 0; ch < g.c; ch++) {
          const plane = b * g.c + ch;
          let sum = 0;
          for (let iy = r.from; iy < r.to; iy++) {
            const row = (plane * g.h + iy) * g.w;
            for (let ix = c.from; ix < c.to; ix++) sum += data[row + ix] as number;
          }
          // the int32 accumulator, converted to float32 (rounded above 2^24, as the C++ conversions)
          const acc = Math.fround(sum - z * size);
          if (g.kernel === 'nchw') values[ch] = clampInt(nearbyint(f32Add(f32Mul(acc, m), z)), min, max);
          else values[ch] = ch < vectorChannels ? vectorQuantize(acc, m, z, min, max) : quantizeValue(acc, inv, z, min, max);
        }
        for (let ch = 0; ch < g.c; ch++) y[pooledOutputIndex(g, b * g.c + ch, oy, ox)] = values[storedChannels[ch]!]!;
      }
    }
  }
  return intTensor(g.dtype, g.outShape, y);
}
