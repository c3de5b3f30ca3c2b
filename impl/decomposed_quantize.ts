import type { QuantDtype } from '../contract/dtypes.js';
import { checkDecomposedQuantizePerTensor } from '../contract/op_checks.js';
import { type F32Tensor, type IntTensor, intTensor } from '../contract/tensor.js';
import { f32Add, f32Mul, nearbyint } from './float32.js';

/**
 * decomposed_quantize_per_tensor@1, fast twin of reference/ops/decomposed_quantize.ts (torch 2.6
 * quantized_decomposed.quantize_per_tensor): float32 x * (float)(1.0 / scale), half-even, + (float)zero_point,
 * clamp to [quant_min, quant_max] in float, NaN -> 0.
 */
export function decomposedQuantizePerTensor(x: F32Tensor, a: { scale: number; zeroPoint: number; quantMin: number; quantMax: number; dtype: QuantDtype }): IntTensor {
  const dtype = checkDecomposedQuantizePerTensor(x, a);
  const inv = Math.fround(1 / a.scale);
  const zp = Math.fround(a.zeroPoint);
  const out = new Int32Array(x.data.length);
  for (let i = 0; i < out.length; i++) {
    const t = f32Add(nearbyint(f32Mul(x.data[i]!, inv)), zp);
    out[i] = t !== t ? 0 : t < a.quantMin ? a.quantMin : t > a.quantMax ? a.quantMax : t;
  }
  return intTensor(dtype, x.shape, out);
}
