import { type QuantDtype, assertQuantDtype } from '../../spec/dtypes.js';
import { type F32Tensor, type F64Tensor, type IntTensor, channelLayout, channelOf } from '../../spec/tensor.js';
import {
  normalizeAxis,
  rejectSubByteDtype,
  validateChannelCount,
  validateDtypeZeroPoint,
  validateQuantizedValues,
  validateScale,
  validateShape,
} from '../../spec/validate.js';
import { f32Mul, f32Sub, f64Mul, intToF32, toF32 } from '../exact/float_arith.js';
import { wrapInt32 } from '../exact/x86_conversions.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { toF32Tensor } from '../values.js';

function quantDtypeOf(what: string, q: IntTensor): QuantDtype {
  const dtype = assertQuantDtype(`${what}: q.dtype`, q.dtype);
  validateShape(`${what}: q`, q);
  validateQuantizedValues(`${what}: q`, q.data, dtype);
  return dtype;
}

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
  const what = 'dequantize_per_tensor';
  const dtype = quantDtypeOf(what, q);
  validateDtypeZeroPoint(`${what}: zero_point`, a.zeroPoint, dtype); // torch checks the zero point first
  validateScale(`${what}: scale`, a.scale);
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
  const what = 'dequantize_per_channel';
  const dtype = quantDtypeOf(what, q);
  rejectSubByteDtype(what, dtype);
  const axis = normalizeAxis(`${what}: axis`, a.axis, q.shape.length, false);
  validateChannelCount(`${what}: scales/zero_points`, q, axis, [scales, zeroPoints]);
  zeroPoints.data.forEach((z, c) => validateDtypeZeroPoint(`${what}: zero_points[${c}]`, z, dtype));
  scales.data.forEach((s, c) => validateScale(`${what}: scales[${c}]`, s));
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
