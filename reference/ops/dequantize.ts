import { type F32Tensor, type F64Tensor, type IntTensor, channelLayout, channelOf } from '../../contract/tensor.js';
import { checkDequantizePerChannel, checkDequantizePerTensor } from '../../contract/op_checks.js';
import { f32Mul, f32Sub, f64Mul, intToF32, toF32 } from '../exact/float_arith.js';
import { wrapInt32 } from '../exact/x86_conversions.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { toF32Tensor } from '../values.js';

/**
 * Per-tensor dequantize of one value (Vectorized<qint*>::dequantize in aten/src/ATen/cpu/vec, and
 * dequantize_val in AffineQuantizerBase.cpp): x = f32((float)scale * (float)(q - zp)) where q - zp is
 * int32 arithmetic: it wraps for qint32 (q = -2^31, zp = 3 gives +2^31 - 3, measured on torch 1.13),
 * converts to float32 (rounding above 2^24), then one float32 product.
 */
export function dequantizeVal(q: bigint, scaleF32: IeeeValue, zeroPoint: bigint): IeeeValue {
  return f32Mul(scaleF32, intToF32(wrapInt32(q - zeroPoint)));
}

/** torch.dequantize of a per-tensor quantized tensor: dequantizeVal with (float)scale. */
export function dequantizePerTensor(q: IntTensor, a: { scale: number; zeroPoint: number }): F32Tensor {
  checkDequantizePerTensor(q, a);
  const scaleF32 = toF32(fromFloat64(a.scale));
  const zp = BigInt(a.zeroPoint);
  return toF32Tensor(q.shape, Array.from(q.data, (v) => dequantizeVal(BigInt(v), scaleF32, zp)));
}

/**
 * dequantize_per_channel_affine_kernel<double, int64_t> (QuantizedOpKernels.cpp l.3915):
 * rd = (static_cast<float>(q) - zp) * scales[c]: q is rounded to float32, the subtraction is float32
 * (zp converted to float), the product is float64 (scales are double), stored to float (rounded once more).
 */
export function dequantizePerChannel(q: IntTensor, scales: F64Tensor, zeroPoints: IntTensor, a: { axis: number }): F32Tensor {
  const { axis } = checkDequantizePerChannel(q, scales, zeroPoints, a);
  const layout = channelLayout(q.shape, axis);
  const scale64 = Array.from(scales.data, fromFloat64);
  const zpF32 = Array.from(zeroPoints.data, (z) => intToF32(BigInt(z)));
  return toF32Tensor(
    q.shape,
    Array.from(q.data, (v, i) => {
      const c = channelOf(i, layout);
      return toF32(f64Mul(f32Sub(intToF32(BigInt(v)), zpF32[c]!), scale64[c]!));
    }),
  );
}
