import { DTYPE_RANGE, type QuantDtype } from '../contract/dtypes.js';
import { type F32Tensor, type F64Tensor, type IntTensor, intTensor } from '../contract/tensor.js';
import { checkQuantizeFloatQparams, checkQuantizePerChannel, checkQuantizePerTensor } from '../contract/op_checks.js';
import { forEachChannelRun } from './axis.js';
import { clampInt, f32Add, f32Div, f32Mul, lrintfToInt, nearbyint, trunc64 } from './float32.js';
import { type ImplPath, selectedImplPath } from './impl_path.js';
import { quantizePerTensorWasm } from './quantize_wasm.js';

/**
 * Float -> quantized integer, torch 1.13 on x86 without FBGEMM (scalar fallback loops).
 * Sources: aten/src/ATen/native/quantized/AffineQuantizerBase.cpp (quantize_val,
 * quantize_val_float_qparams) and aten/src/ATen/native/quantized/cpu/kernels/QuantizedOpKernels.cpp
 * (quantize_tensor_per_tensor_affine_cpu, quantize_tensor_per_channel_impl,
 * quantize_tensor_per_channel_float_qparams_cpu, quantize_tensor_per_tensor_affine_sub_byte_cpu).
 */

/** `1.0f / (float)scale`: float32 division of the float32 scale. */
export function inverseScale(scaleF: number): number {
  return f32Div(1, scaleF);
}

/** `scale == 0 ? 1.0f : 1.0f / scale` of the float-qparams and sub-byte kernels (float32). */
export function guardedInverseScale(scaleF: number): number {
  return scaleF === 0 ? 1 : f32Div(1, scaleF);
}

/**
 * quantize_val before its clamp: `static_cast<int64_t>(zero_point + nearbyint(value * inv_scale))`.
 * Domains: x * inv in float32; nearbyint half-even; the int64 zero point meets a float, so the
 * addition is float32 (`zeroPointF` = (float)zero_point); truncation to int64 with INT64_MIN for
 * NaN, +-inf and |t| >= 2^63. fake_quantize uses the same step.
 */
export function quantizeUnclamped(x: number, invScale: number, zeroPointF: number): number {
  return trunc64(f32Add(zeroPointF, nearbyint(f32Mul(x, invScale))));
}

/**
 * One element of quantize_per_tensor / quantize_per_channel (quantize_val<T>): quantizeUnclamped,
 * then clamp in int64 to the storage range [qmin, qmax] of the dtype.
 */
export function quantizeValue(x: number, invScale: number, zeroPointF: number, qmin: number, qmax: number): number {
  return clampInt(quantizeUnclamped(x, invScale, zeroPointF), qmin, qmax);
}

/**
 * One element of quantize_val_float_qparams: `int qvalue = lrintf(value * inv_scale + zero_point)`,
 * clamped to [qmin, qmax]. Domains: product and sum in float32 (the float zero point is added
 * before rounding), then lrintfToInt (half-even to int64, INT64_MIN for NaN/inf/overflow, low 32
 * bits kept: NaN -> 0, 3e9 -> -1294967296), then an int clamp.
 */
export function quantizeValueFloatQparams(x: number, invScale: number, zeroPointF: number, qmin: number, qmax: number): number {
  return clampInt(lrintfToInt(f32Add(f32Mul(x, invScale), zeroPointF)), qmin, qmax);
}

/**
 * torch.quantize_per_tensor (quantize_tensor_per_tensor_affine_cpu -> quantize_val).
 * inv = f32(1 / (float)scale); each element is quantizeValue, clamped to the dtype range.
 * quint4x2 runs quantize_tensor_per_tensor_affine_sub_byte_cpu instead:
 * `lrintf(nearbyint(x * inv) + (float)zp)` with the guarded inverse; lrintf of that integral float
 * equals its int64 truncation, so only the inverse differs (it matters when (float)scale is 0).
 */
export function quantizePerTensor(x: F32Tensor, a: { scale: number; zeroPoint: number; dtype: QuantDtype }): IntTensor {
  return quantizePerTensorOn(selectedImplPath(), x, a);
}

/** quantizePerTensor on one path (impl_path.ts); `counter`, when given, counts the calls WebAssembly computed. */
export function quantizePerTensorOn(path: ImplPath, x: F32Tensor, a: { scale: number; zeroPoint: number; dtype: QuantDtype }, counter?: { wasm: number }): IntTensor {
  const dtype = checkQuantizePerTensor(x, a);

  const scaleF = Math.fround(a.scale);
  const inv = dtype === 'quint4x2' ? guardedInverseScale(scaleF) : inverseScale(scaleF);
  const zeroPointF = Math.fround(a.zeroPoint);
  const { min, max } = DTYPE_RANGE[dtype];
  const src = x.data;
  if (path === 'wasm') {
    const fromWasm = quantizePerTensorWasm(src, inv, zeroPointF, min, max);
    if (fromWasm !== null) {
      if (counter) counter.wasm++;
      return intTensor(dtype, x.shape, fromWasm);
    }
  }
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const p = Math.fround((src[i] as number) * inv);
    // Fast path, the same bits as quantizeValue: for |p| < 2^22 (never NaN or infinite), (p + 1.5 * 2^52) - 1.5 * 2^52
    // is nearbyint(p) (the double sum rounds half to even at unit spacing; only the sign of a zero may differ, which
    // the float32 zero-point addition and the integer result do not keep), and f32(zp + r) is integral, so trunc64 is
    // the identity.
    if (p > -FAST_LIMIT && p < FAST_LIMIT) {
      const q = Math.fround(zeroPointF + (p + RNE_MAGIC - RNE_MAGIC));
      out[i] = q < min ? min : q > max ? max : q;
    } else {
      out[i] = quantizeValue(src[i] as number, inv, zeroPointF, min, max);
    }
  }
  return intTensor(dtype, x.shape, out);
}

const FAST_LIMIT = 2 ** 22;
const RNE_MAGIC = 1.5 * 2 ** 52;

/**
 * torch.quantize_per_channel with integer zero points (quantize_tensor_per_channel_impl): the same
 * quantize_val per element, with inv = f32(1 / (float)scales[c]) from the float64 scales and
 * (float)zero_points[c]. torch 1.13 dispatches only quint8, qint8 and qint32 here.
 */
export function quantizePerChannel(x: F32Tensor, scales: F64Tensor, zeroPoints: IntTensor, a: { axis: number; dtype: QuantDtype }): IntTensor {
  const { dtype, axis } = checkQuantizePerChannel(x, scales, zeroPoints, a);

  const { min, max } = DTYPE_RANGE[dtype];
  const src = x.data;
  const out = new Int32Array(src.length);
  forEachChannelRun(x.shape, axis, (start, end, c) => {
    const inv = inverseScale(Math.fround(scales.data[c] as number));
    const zeroPointF = Math.fround(zeroPoints.data[c] as number);
    for (let i = start; i < end; i++) out[i] = quantizeValue(src[i] as number, inv, zeroPointF, min, max);
  });
  return intTensor(dtype, x.shape, out);
}

/**
 * torch.quantize_per_channel with float zero points, i.e. per_channel_affine_float_qparams
 * (quantize_tensor_per_channel_float_qparams_cpu -> quantize_val_float_qparams), clamped to the
 * dtype range. inv = scales[c] == 0 ? 1 : f32(1 / scales[c]); scales and zero points are float32.
 */
export function quantizePerChannelFloatQparams(
  x: F32Tensor,
  scales: F32Tensor,
  zeroPoints: F32Tensor,
  a: { axis: number; dtype: QuantDtype },
): IntTensor {
  const { dtype, axis } = checkQuantizeFloatQparams(x, scales, zeroPoints, a);

  const { min, max } = DTYPE_RANGE[dtype];
  const src = x.data;
  const out = new Int32Array(src.length);
  forEachChannelRun(x.shape, axis, (start, end, c) => {
    const inv = guardedInverseScale(scales.data[c] as number);
    const zeroPointF = zeroPoints.data[c] as number;
    for (let i = start; i < end; i++) out[i] = quantizeValueFloatQparams(src[i] as number, inv, zeroPointF, min, max);
  });
  return intTensor(dtype, x.shape, out);
}
