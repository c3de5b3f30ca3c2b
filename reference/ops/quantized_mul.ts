/**
 * quantized_mul@1, exact reference: torch 1.13.1's qmul_kernel (aten/src/ATen/native/quantized/cpu/kernels/
 * QuantizedOpKernels.cpp) behind quantized::mul / mul_relu; contract/quantized_mul.ts says where its two forms part.
 * Integer steps are bigint; the one product f32(c m) is rounded once on rationals (reference/exact).
 */
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { QuantizedMulAttrs } from '../../contract/quantized_mul.js';
import { brokenBroadcastSplit, checkQuantizedMul } from '../../contract/quantized_mul_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { ONE_F32 } from '../constants.js';
import { f32Add, f32Div, f32Mul, intToF32, toF32 } from '../exact/float_arith.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { clampInt, cvtps2dq, lrintfToInt64, nearbyint, truncToInt32, wrapInt32 } from '../exact/x86_conversions.js';
import type { AtenCpuCapability } from '../../contract/aten_vectorized_loop.js';

/** qmul_kernel's `float multiplier = self_scale * other_scale * inv_scale`: f32(f32(s_a s_b) f32(1.0f / s)), float32 scales. */
function qmulMultiplier(attrs: QuantizedMulAttrs): IeeeValue {
  const f32Scale = (s: number) => toF32(fromFloat64(s));
  return f32Mul(f32Mul(f32Scale(attrs.aScale), f32Scale(attrs.bScale)), f32Div(ONE_F32, f32Scale(attrs.scale)));
}

/**
 * Vectorized<T>::requantize_from_int of one product p = f32(c m), before the clamp: AVX2 / AVX512 cvtps2dq(p) + z
 * wrapped to int32; DEFAULT (int32_t)f32(nearbyint(p) + f32(z)), truncating.
 */
function vectorRequantize(p: IeeeValue, z: bigint, capability: AtenCpuCapability): bigint {
  return capability === 'default' ? truncToInt32(f32Add(nearbyint(p), intToF32(z))) : wrapInt32(cvtps2dq(p) + z);
}

/**
 * quantized::mul(a, b, scale, zero_point) and mul_relu: c = (a - z_a)(b - z_b) (int32, exact), p = f32(c m); the scalar
 * form z + lrintf(p) in int64 clamped (z >= 0 in scope, so no int64 wrap), the vector form vectorRequantize clamped;
 * ReLU as max(y, z). Broadcast elements take either form when both agree, else the op refuses.
 */
export function quantizedMul(a: IntTensor, b: IntTensor, attrs: QuantizedMulAttrs): IntTensor {
  const g = checkQuantizedMul(a, b, attrs);
  const m = qmulMultiplier(attrs);
  const { min, max } = DTYPE_RANGE[g.dtype];
  const [lo, hi, z] = [BigInt(min), BigInt(max), BigInt(attrs.zeroPoint)];
  const [za, zb] = [BigInt(attrs.aZeroPoint), BigInt(attrs.bZeroPoint)];
  const relu = (y: bigint) => (attrs.relu && y < z ? z : y);
  const y = new Int32Array(g.aIndex.length);
  for (let i = 0; i < y.length; i++) {
    const c = (BigInt(a.data[g.aIndex[i]!] as number) - za) * (BigInt(b.data[g.bIndex[i]!] as number) - zb);
    const p = f32Mul(intToF32(c), m);
    const scalar = relu(clampInt(z + lrintfToInt64(p), lo, hi));
    const vector = relu(clampInt(vectorRequantize(p, z, attrs.cpuCapability), lo, hi));
    if (g.vectorForm === null && vector !== scalar) throw brokenBroadcastSplit(i, Number(vector), Number(scalar));
    y[i] = Number(g.vectorForm === null || g.vectorForm[i] === 0 ? scalar : vector);
  }
  return intTensor(g.dtype, g.shape, y);
}
