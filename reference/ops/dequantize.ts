import { type QuantDtype, assertQuantDtype } from '../../spec/dtypes.js';
import { type F32Tensor, type F64Tensor, type IntTensor, channelLayout, channelOf } from '../../spec/tensor.js';
import {
  normalizeAxis,
  validateChannelCount,
  validateDtypeZeroPoint,
  validateQuantizedValues,
  validateScale,
  validateShape,
} from '../../spec/validate.js';
import { f32Mul, f64Mul, f64Sub, intToF32, intToF64, toF32 } from '../exact/float_arith.js';
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
 * at::native::dequantize_val (AffineQuantizerBase.cpp l.191): x = f32((float)scale * (float)(q - zp)).
 * The integer difference is exact, converted to float32 (rounding only for |q - zp| > 2^24, qint32),
 * then one float32 product.
 */
export function dequantizeVal(q: bigint, scaleF32: IeeeValue, zeroPoint: bigint): IeeeValue {
  return f32Mul(scaleF32, intToF32(q - zeroPoint));
}

/** torch.dequantize of a per-tensor quantized tensor: dequantizeVal with (float)scale. */
export function dequantizePerTensor(q: IntTensor, a: { scale: number; zeroPoint: number }): F32Tensor {
  const what = 'dequantize_per_tensor';
  const dtype = quantDtypeOf(what, q);
  validateScale(`${what}: scale`, a.scale);
  validateDtypeZeroPoint(`${what}: zero_point`, a.zeroPoint, dtype);
  const scaleF32 = toF32(fromFloat64(a.scale));
  const zp = BigInt(a.zeroPoint);
  return toF32Tensor(q.shape, Array.from(q.data, (v) => dequantizeVal(BigInt(v), scaleF32, zp)));
}

/**
 * dequantize_per_channel_affine_kernel<double, int64_t> (QuantizedOpKernels.cpp l.3915):
 * rd = (double(q) - double(zp)) * scales[c], all in float64, then stored to float: rounded once to float32
 * from the double product (a double rounding that torch itself performs).
 */
export function dequantizePerChannel(q: IntTensor, scales: F64Tensor, zeroPoints: IntTensor, a: { axis: number }): F32Tensor {
  const what = 'dequantize_per_channel';
  const dtype = quantDtypeOf(what, q);
  const axis = normalizeAxis(`${what}: axis`, a.axis, q.shape.length, false);
  validateChannelCount(`${what}: scales/zero_points`, q, axis, [scales, zeroPoints]);
  scales.data.forEach((s, c) => validateScale(`${what}: scales[${c}]`, s));
  zeroPoints.data.forEach((z, c) => validateDtypeZeroPoint(`${what}: zero_points[${c}]`, z, dtype));
  const layout = channelLayout(q.shape, axis);
  const scale64 = Array.from(scales.data, fromFloat64);
  const zp64 = Array.from(zeroPoints.data, (z) => intToF64(BigInt(z)));
  return toF32Tensor(
    q.shape,
    Array.from(q.data, (v, i) => {
      const c = channelOf(i, layout);
      return toF32(f64Mul(f64Sub(intToF64(BigInt(v)), zp64[c]!), scale64[c]!));
    }),
  );
}
