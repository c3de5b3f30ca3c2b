/**
 * quantized_mean@1, exact reference: torch 1.13.1's Tensor.mean over H and W of a quantized [N, C, H, W] tensor
 * (aten/src/ATen/native/quantized/cpu/ReduceOps.cpp mean_out_quantized_cpu; contract/quantized_mean.ts says which path
 * runs). Inner path (qmean_inner_dim_kernel): the sum in bigint, then float32 steps rounded once on rationals. Float
 * path: dequantize_val per element, the float32 sum of each channel in ATen's cascade order
 * (contract/aten_float_sum.ts cascadeSum with one exact float32 addition per step), the float32 division by H W, and
 * quantize_val.
 */
import { cascadeSum } from '../../contract/aten_float_sum.js';
import type { QuantizedMeanAttrs } from '../../contract/quantized_mean.js';
import { checkQuantizedMean } from '../../contract/quantized_mean_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { ZERO_F32 } from '../constants.js';
import { f32Add, f32Div, intToF32, toF32 } from '../exact/float_arith.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import { nearbyint, truncToInt64 } from '../exact/x86_conversions.js';
import { dequantizeVal } from './dequantize.js';
import { prepareQuantizeVal, quantizeVal } from './quantize_val.js';

export function quantizedMean(x: IntTensor, attrs: QuantizedMeanAttrs): IntTensor {
  const g = checkQuantizedMean(x, attrs);
  const count = intToF32(BigInt(g.hw));
  const y = new Int32Array(g.n * g.c);
  if (g.path === 'inner') {
    // per (n, c): y = nearbyint(f32(f32(S) / f32(H W))), stored as the dtype's integer (in range: a mean of its values)
    for (let k = 0; k < y.length; k++) {
      let sum = 0n;
      for (let i = 0; i < g.hw; i++) sum += BigInt(x.data[k * g.hw + i] as number);
      y[k] = Number(truncToInt64(nearbyint(f32Div(intToF32(sum), count))));
    }
    return intTensor(g.dtype, g.outShape, y);
  }
  const scale = toF32(fromFloat64(attrs.xScale));
  const zeroPoint = BigInt(attrs.xZeroPoint);
  const output = prepareQuantizeVal(fromFloat64(attrs.xScale), zeroPoint, g.dtype);
  for (let k = 0; k < y.length; k++) {
    const values = Array.from(x.data.subarray(k * g.hw, (k + 1) * g.hw), (q) => dequantizeVal(BigInt(q), scale, zeroPoint));
    const sum = cascadeSum(values, g.orders[k % g.c]!, f32Add, ZERO_F32);
    y[k] = Number(quantizeVal(f32Div(sum, count), output));
  }
  return intTensor(g.dtype, g.outShape, y);
}
