import { type F32Tensor, type IntTensor, f32Tensor } from '../contract/tensor.js';
import { checkFakeQuantizePerChannel, checkFakeQuantizePerTensor } from '../contract/op_checks.js';
import { forEachChannelRun } from './axis.js';
import { inverseScale, quantizeValue } from './quantize.js';

/**
 * Fake quantization (quantize, clamp to [quant_min, quant_max], dequantize in one kernel), torch
 * 1.13 CPU. Sources: aten/src/ATen/native/quantized/cpu/kernels/QuantizedOpKernels.cpp
 * (fake_quantize_tensor_cachemask_kernel, fake_quant_per_channel_cachemask_cpu with int32 zero
 * points); checks from aten/src/ATen/native/quantized/FakeQuantPerTensorAffine.cpp and
 * FakeQuantPerChannelAffine.cpp.
 */

/**
 * One element: `(fmin(fmax(int64(zp + nearbyint(x * inv)), quant_min), quant_max) - zp) * scale`.
 * Domains: q as in quantize_val (float32 product, half-even, float32 addition of (float)zp, int64
 * truncation with INT64_MIN for NaN/inf/overflow); std::fmax/fmin on integers promote to binary64,
 * so the clamp, the subtraction of zp and the product with the float32 scale run in binary64,
 * rounded once to float32 on store. Unlike quantize, this clamps to the qconfig range.
 */
export function fakeQuantizeValue(
  x: number,
  invScale: number,
  scaleF: number,
  zeroPoint: number,
  zeroPointF: number,
  quantMin: number,
  quantMax: number,
): number {
  const q = quantizeValue(x, invScale, zeroPointF, quantMin, quantMax); // clamped to the qconfig range
  return Math.fround((q - zeroPoint) * scaleF);
}

/** torch.fake_quantize_per_tensor_affine(x, scale, zero_point, quant_min, quant_max): the kernel takes `float sc`, inv = f32(1 / sc). */
export function fakeQuantizePerTensorAffine(x: F32Tensor, a: { scale: number; zeroPoint: number; quantMin: number; quantMax: number }): F32Tensor {
  checkFakeQuantizePerTensor(x, a);

  const scaleF = Math.fround(a.scale);
  const inv = inverseScale(scaleF);
  const zeroPointF = Math.fround(a.zeroPoint);
  const src = x.data;
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    out[i] = fakeQuantizeValue(src[i] as number, inv, scaleF, a.zeroPoint, zeroPointF, a.quantMin, a.quantMax);
  }
  return f32Tensor(x.shape, out);
}

/** torch.fake_quantize_per_channel_affine(x, scales (float32), zero_points (int32), axis, quant_min, quant_max). */
export function fakeQuantizePerChannelAffine(
  x: F32Tensor,
  scales: F32Tensor,
  zeroPoints: IntTensor,
  a: { axis: number; quantMin: number; quantMax: number },
): F32Tensor {
  const axis = checkFakeQuantizePerChannel(x, scales, zeroPoints, a);

  const src = x.data;
  const out = new Float32Array(src.length);
  forEachChannelRun(x.shape, axis, (start, end, c) => {
    const scaleF = scales.data[c] as number;
    const inv = inverseScale(scaleF);
    const zeroPoint = zeroPoints.data[c] as number;
    const zeroPointF = Math.fround(zeroPoint);
    for (let i = start; i < end; i++) out[i] = fakeQuantizeValue(src[i] as number, inv, scaleF, zeroPoint, zeroPointF, a.quantMin, a.quantMax);
  });
  return f32Tensor(x.shape, out);
}
