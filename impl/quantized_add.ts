/**
 * quantized_add@1, fast twin of reference/ops/quantized_add.ts (torch 1.13.1 qadd_kernel): the same float32 steps
 * on doubles rounded to float32, the vector form where contract/aten_vectorized_loop.ts's mask says so.
 */
import { DTYPE_RANGE } from '../contract/dtypes.js';
import type { QuantizedAddAttrs } from '../contract/quantized_add.js';
import { checkQuantizedAdd } from '../contract/quantized_add_checks.js';
import { type IntTensor, intTensor } from '../contract/tensor.js';
import { vectorQuantize } from './aten_vectorized_quantized.js';
import { f32Add, f32Fma, f32Mul } from './float32.js';
import { inverseScale, quantizeValue } from './quantize.js';

export function quantizedAdd(a: IntTensor, b: IntTensor, attrs: QuantizedAddAttrs): IntTensor {
  const g = checkQuantizedAdd(a, b, attrs);
  const [sa, sb, s] = [Math.fround(attrs.aScale), Math.fround(attrs.bScale), Math.fround(attrs.scale)];
  const [za, zb, z] = [attrs.aZeroPoint, attrs.bZeroPoint, attrs.zeroPoint];
  // the vector form's f32(s * -f32(z)); the zero points are dtype values, exact in float32
  const [premulA, premulB] = [f32Mul(sa, -za), f32Mul(sb, -zb)];
  const inv = inverseScale(s);
  const { min, max } = DTYPE_RANGE[g.dtype];
  const y = new Int32Array(a.data.length);
  for (let i = 0; i < y.length; i++) {
    const qa = a.data[i] as number;
    const qb = b.data[i] as number;
    if (g.vectorForm[i] === 1) {
      const c = f32Add(f32Fma(sa, qa, premulA), f32Fma(sb, qb, premulB));
      // vec::maximum(c, 0) keeps a NaN (whose payload no later step reads) and takes 0 for c < 0
      y[i] = vectorQuantize(attrs.relu && c < 0 ? 0 : c, inv, z, min, max);
    } else {
      const c = f32Add(f32Mul(sa, qa - za), f32Mul(sb, qb - zb));
      // std::max(c, 0): (c < 0) ? 0 : c
      y[i] = quantizeValue(attrs.relu && c < 0 ? 0 : c, inv, z, min, max);
    }
  }
  return intTensor(g.dtype, a.shape, y);
}
