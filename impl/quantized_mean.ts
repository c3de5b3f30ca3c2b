/**
 * quantized_mean@1, fast twin of reference/ops/quantized_mean.ts (torch 1.13.1's mean_out_quantized_cpu over H and W):
 * the inner path's integer sum and float32 division, or the float path's dequantize, cascade sum in ATen's order
 * (contract/aten_float_sum.ts, with Math.fround additions), division and quantize_val, on doubles rounded to float32.
 */
import { DTYPE_RANGE } from '../contract/dtypes.js';
import { cascadeSum } from '../contract/aten_float_sum.js';
import type { QuantizedMeanAttrs } from '../contract/quantized_mean.js';
import { checkQuantizedMean } from '../contract/quantized_mean_checks.js';
import { type IntTensor, intTensor } from '../contract/tensor.js';
import { f32Add, f32Div, f32Mul, nearbyint } from './float32.js';
import { inverseScale, quantizeValue } from './quantize.js';

export function quantizedMean(x: IntTensor, attrs: QuantizedMeanAttrs): IntTensor {
  const g = checkQuantizedMean(x, attrs);
  const y = new Int32Array(g.n * g.c);
  if (g.path === 'inner') {
    // |S| <= 255 H W < 2^53 (MAX_TENSOR_ELEMENTS): the integer sum is exact in a double
    for (let k = 0; k < y.length; k++) {
      let sum = 0;
      for (let i = 0; i < g.hw; i++) sum += x.data[k * g.hw + i] as number;
      // nearbyint (half to even), then the stored integer: -0 becomes 0
      y[k] = nearbyint(f32Div(Math.fround(sum), g.hw)) + 0;
    }
    return intTensor(g.dtype, g.outShape, y);
  }
  const s = Math.fround(attrs.xScale);
  const z = attrs.xZeroPoint;
  const inverse = inverseScale(s);
  const { min, max } = DTYPE_RANGE[g.dtype];
  const values = new Array<number>(g.hw);
  for (let k = 0; k < y.length; k++) {
    for (let i = 0; i < g.hw; i++) values[i] = f32Mul(s, (x.data[k * g.hw + i] as number) - z);
    const sum = cascadeSum(values, g.orders[k % g.c]!, f32Add, 0);
    y[k] = quantizeValue(f32Div(sum, g.hw), inverse, z, min, max);
  }
  return intTensor(g.dtype, g.outShape, y);
}
