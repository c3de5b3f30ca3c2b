/**
 * quantized_mul@1, fast twin of reference/ops/quantized_mul.ts (torch 1.13.1 qmul_kernel): the integer product, one
 * float32 product rounded by Math.fround, lrintf's and cvtps2dq's conversions on doubles.
 */
import { DTYPE_RANGE } from '../contract/dtypes.js';
import type { QuantizedMulAttrs } from '../contract/quantized_mul.js';
import { brokenBroadcastSplit, checkQuantizedMul } from '../contract/quantized_mul_checks.js';
import { type IntTensor, intTensor } from '../contract/tensor.js';
import { clampInt, cvt32, f32Add, f32Mul, lrintfToInt64, nearbyint, trunc32, wrapInt32 } from './float32.js';
import { inverseScale } from './quantize.js';

export function quantizedMul(a: IntTensor, b: IntTensor, attrs: QuantizedMulAttrs): IntTensor {
  const g = checkQuantizedMul(a, b, attrs);
  const f = Math.fround;
  const m = f32Mul(f32Mul(f(attrs.aScale), f(attrs.bScale)), inverseScale(f(attrs.scale)));
  const { min, max } = DTYPE_RANGE[g.dtype];
  const { aZeroPoint: za, bZeroPoint: zb, zeroPoint: z, relu } = attrs;
  const defaultLoop = attrs.cpuCapability === 'default';
  const y = new Int32Array(g.aIndex.length);
  for (let i = 0; i < y.length; i++) {
    // |c| <= 65,025: exact as a double and as a float32
    const p = f32Mul(((a.data[g.aIndex[i]!] as number) - za) * ((b.data[g.bIndex[i]!] as number) - zb), m);
    let scalar = clampInt(z + lrintfToInt64(p), min, max);
    // Vectorized<T>::requantize_from_int: AVX2 / AVX512 cvtps2dq + z in int32; DEFAULT (int32_t)f32(nearbyint(p) + z)
    let vector = clampInt(defaultLoop ? trunc32(f32Add(nearbyint(p), z)) : wrapInt32(cvt32(p) + z), min, max);
    if (relu) [scalar, vector] = [Math.max(scalar, z), Math.max(vector, z)];
    if (g.vectorForm === null && vector !== scalar) throw brokenBroadcastSplit(i, vector, scalar);
    y[i] = g.vectorForm === null || g.vectorForm[i] === 0 ? scalar : vector;
  }
  return intTensor(g.dtype, g.shape, y);
}
