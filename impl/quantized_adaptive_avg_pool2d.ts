/**
 * quantized_adaptive_avg_pool2d@1, fast twin of reference/ops/quantized_adaptive_avg_pool2d.ts (torch 1.13.1's
 * adaptive_avg_pool2d on a quantized tensor, contract/quantized_adaptive_avg_pool2d.ts): the same float32 steps on
 * doubles rounded to float32, integer sums in doubles (every sum is below 2^31).
 */
import { DTYPE_RANGE } from '../contract/dtypes.js';
import type { QuantizedAdaptiveAvgPool2dAttrs } from '../contract/quantized_adaptive_avg_pool2d.js';
import { checkQuantizedAdaptiveAvgPool2d } from '../contract/quantized_adaptive_avg_pool2d_checks.js';
import { pooledOutputIndex } from '../contract/torch_pool_layout.js';
import { type IntTensor, intTensor } from '../contract/tensor.js';
import { f32Div, f32Mul, nearbyint } from './float32.js';
import { inverseScale, quantizeValue } from './quantize.js';

/** start_index, end_index: the float32 quotients f32(o * inLen) / f32(outLen), floored and ceiled. */
function adaptiveWindow(o: number, outLen: number, inLen: number): readonly [number, number] {
  const out = Math.fround(outLen);
  return [Math.floor(f32Div(Math.fround(o * inLen), out)), Math.ceil(f32Div(Math.fround((o + 1) * inLen), out))];
}

export function quantizedAdaptiveAvgPool2d(x: IntTensor, attrs: QuantizedAdaptiveAvgPool2dAttrs): IntTensor {
  const g = checkQuantizedAdaptiveAvgPool2d(x, attrs);
  const s = Math.fround(attrs.scale);
  const z = attrs.zeroPoint;
  const { min, max } = DTYPE_RANGE[g.dtype];
  const rows = Array.from({ length: g.oh }, (_, o) => adaptiveWindow(o, g.oh, g.h));
  const cols = Array.from({ length: g.ow }, (_, o) => adaptiveWindow(o, g.ow, g.w));
  const data = x.data;
  const y = new Int32Array(g.n * g.c * g.oh * g.ow);
  for (let oy = 0; oy < g.oh; oy++) {
    const [h0, h1] = rows[oy]!;
    for (let ox = 0; ox < g.ow; ox++) {
      const [w0, w1] = cols[ox]!;
      const size = (h1 - h0) * (w1 - w0);
      // NHWC: quantize_val(f32(1 / m), z, f32(acc)) multiplies by f32(1 / f32(1 / m)); NCHW: kDHWr. The sums reach
      // 2^30, beyond float32's integers: each is rounded to float32 first, as the C++ conversions do
      const inv = inverseScale(f32Div(1, f32Div(f32Div(s, s), size)));
      const reciprocal = f32Div(f32Div(1, h1 - h0), w1 - w0);
      for (let plane = 0; plane < g.n * g.c; plane++) {
        let sum = 0;
        for (let iy = h0; iy < h1; iy++) {
          const row = (plane * g.h + iy) * g.w;
          for (let ix = w0; ix < w1; ix++) sum += data[row + ix] as number;
        }
        y[pooledOutputIndex(g, plane, oy, ox)] = g.kernel === 'nhwc' ? quantizeValue(Math.fround(sum - z * size), inv, z, min, max) : nearbyint(f32Mul(Math.fround(sum), reciprocal));
      }
    }
  }
  return intTensor(g.dtype, g.outShape, y);
}
