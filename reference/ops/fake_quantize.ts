import { type F32Tensor, type IntTensor, channelLayout, channelOf } from '../../contract/tensor.js';
import { checkFakeQuantizePerChannel, checkFakeQuantizePerTensor } from '../../contract/op_checks.js';
import { ONE_F32 } from '../constants.js';
import { f32Div, f64Mul, intToF64, toF32 } from '../exact/float_arith.js';
import { fromFloat32, fromFloat64 } from '../exact/ieee_bits.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { clampInt } from '../exact/x86_conversions.js';
import { exactElementsF32, toF32Tensor } from '../values.js';
import { quantizeValUnclamped } from './quantize_val.js';

/**
 * One fake-quantize element, as _fake_quantize_tensor_helper and fake_quant_per_channel_cpu compute it
 * (aten/src/ATen/native/quantized/cpu/kernels/QuantizedOpKernels.cpp, 1.13):
 *   inv  = f32(1.0f / sc)                         sc is the float32 scale
 *   qval = (int64_t) f32(zp + nearbyint(f32(x * inv)))     as quantize_val, but WITHOUT the dtype clamp
 *   y    = f32( f64(fmin(fmax(qval, qmin), qmax) - zp) * f64(sc) )   std::fmin/fmax promote to double
 * Unlike eager quantize, this clamps to the qconfig's [quant_min, quant_max].
 */
export function fakeQuantizeVal(x: IeeeValue, scaleF32: IeeeValue, zeroPoint: bigint, quantMin: bigint, quantMax: bigint): IeeeValue {
  const clamped = clampInt(quantizeValUnclamped(x, f32Div(ONE_F32, scaleF32), zeroPoint), quantMin, quantMax);
  return toF32(f64Mul(intToF64(clamped - zeroPoint), scaleF32));
}

/** torch.fake_quantize_per_tensor_affine: fakeQuantizeVal with the double scale rounded to float32 (the kernel takes `float sc`). */
export function fakeQuantizePerTensorAffine(
  x: F32Tensor,
  a: { scale: number; zeroPoint: number; quantMin: number; quantMax: number },
): F32Tensor {
  checkFakeQuantizePerTensor(x, a);
  const sc = toF32(fromFloat64(a.scale));
  const [zp, lo, hi] = [BigInt(a.zeroPoint), BigInt(a.quantMin), BigInt(a.quantMax)];
  return toF32Tensor(x.shape, exactElementsF32(x).map((v) => fakeQuantizeVal(v, sc, zp, lo, hi)));
}

/** torch.fake_quantize_per_channel_affine: float32 scales, integer zero points, one channel per slice of `axis`. */
export function fakeQuantizePerChannelAffine(
  x: F32Tensor,
  scales: F32Tensor,
  zeroPoints: IntTensor,
  a: { axis: number; quantMin: number; quantMax: number },
): F32Tensor {
  const axis = checkFakeQuantizePerChannel(x, scales, zeroPoints, a);
  const layout = channelLayout(x.shape, axis);
  const [lo, hi] = [BigInt(a.quantMin), BigInt(a.quantMax)];
  return toF32Tensor(
    x.shape,
    exactElementsF32(x).map((v, i) => {
      const c = channelOf(i, layout);
      return fakeQuantizeVal(v, fromFloat32(scales.data[c]!), BigInt(zeroPoints.data[c]!), lo, hi);
    }),
  );
}
