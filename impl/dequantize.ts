import { type F32Tensor, type F64Tensor, type IntTensor, f32Tensor } from '../contract/tensor.js';
import { checkDequantizeFloatQparams, checkDequantizePerChannel, checkDequantizePerTensor } from '../contract/op_checks.js';
import { forEachChannelRun } from './axis.js';
import { f32Sub } from './float32.js';
import { dequantizeLinearValue } from './quantize_linear.js';

/**
 * Quantized integer -> float32, torch 1.13 on x86 without FBGEMM.
 * Sources: aten/src/ATen/native/quantized/AffineQuantizerBase.cpp (dequantize_val) and
 * aten/src/ATen/native/quantized/cpu/kernels/QuantizedOpKernels.cpp
 * (dequantize_tensor_per_tensor_affine_cpu, dequantize_per_channel_affine_kernel,
 * dequantize_tensor_per_tensor_affine_sub_byte_cpu).
 */

/**
 * One element of dequantize_per_channel_affine_kernel<T, N, Q>:
 * `(static_cast<float>(q) - zero_points[c]) * scales[c]`.
 * Domains: (float)q - zero point is a float32 subtraction (C++ converts the int64 or float zero
 * point to float); the product runs in the scale's type and is rounded to float32 on store:
 * binary64 for per_channel_affine (float64 scales), binary32 for float_qparams (float32 scales,
 * where the binary64 product of two float32 values is exact, so one fround is the float product).
 */
export function dequantizeChannelValue(q: number, zeroPointF: number, scale: number): number {
  return Math.fround(f32Sub(Math.fround(q), zeroPointF) * scale);
}

/** torch.dequantize of a per-tensor affine tensor (dequantize_tensor_per_tensor_affine_cpu -> dequantize_val). */
export function dequantizePerTensor(q: IntTensor, a: { scale: number; zeroPoint: number }): F32Tensor {
  checkDequantizePerTensor(q, a);

  const scaleF = Math.fround(a.scale);
  const src = q.data;
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = dequantizeLinearValue(src[i] as number, a.zeroPoint, scaleF); // dequantize_val
  return f32Tensor(q.shape, out);
}

/**
 * torch.dequantize of a per_channel_affine tensor (dequantize_per_channel_affine_kernel<double,
 * int64_t, Q>): float64 scales, integer zero points. torch 1.13 dispatches only quint8, qint8, qint32.
 */
export function dequantizePerChannel(q: IntTensor, scales: F64Tensor, zeroPoints: IntTensor, a: { axis: number }): F32Tensor {
  const { axis } = checkDequantizePerChannel(q, scales, zeroPoints, a);
  return dequantizeChannels(q, axis, scales.data, Float64Array.from(zeroPoints.data, (zp) => Math.fround(zp)));
}

/**
 * torch.dequantize of a per_channel_affine_float_qparams tensor
 * (dequantize_tensor_per_channel_float_qparams_cpu -> dequantize_per_channel_affine_kernel<float, float, Q>).
 */
export function dequantizePerChannelFloatQparams(q: IntTensor, scales: F32Tensor, zeroPoints: F32Tensor, a: { axis: number }): F32Tensor {
  const { axis } = checkDequantizeFloatQparams(q, scales, zeroPoints, a);
  return dequantizeChannels(q, axis, scales.data, zeroPoints.data);
}

/** The per-channel loop shared by both per-channel dequantizations; zero points already float32 values. */
function dequantizeChannels(q: IntTensor, axis: number, scales: Float64Array | Float32Array, zeroPointsF: Float64Array | Float32Array): F32Tensor {
  const src = q.data;
  const out = new Float32Array(src.length);
  forEachChannelRun(q.shape, axis, (start, end, c) => {
    const scale = scales[c] as number;
    const zeroPointF = zeroPointsF[c] as number;
    for (let i = start; i < end; i++) out[i] = dequantizeChannelValue(src[i] as number, zeroPointF, scale);
  });
  return f32Tensor(q.shape, out);
}
