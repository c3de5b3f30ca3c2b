import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { checkDequantizeFloatQparams, checkQuantizeFloatQparams } from '../../contract/op_checks.js';
import { type F32Tensor, type IntTensor, channelLayout, channelOf, intTensor } from '../../contract/tensor.js';
import { f32Add, f32Mul, f32Sub, intToF32 } from '../exact/float_arith.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { clampInt, lrintfToInt64, wrapInt32 } from '../exact/x86_conversions.js';
import { exactElementsF32, toF32Tensor } from '../values.js';
import { guardedInverseScale } from './quantize_val.js';

/**
 * quantize_val_float_qparams (AffineQuantizerBase.cpp, 1.13: `int quantize_val_float_qparams(float scale,
 * float zero_point, float value, int qmin, int qmax)`), used by quantize_per_channel with float zero points
 * (per_channel_affine_float_qparams, the embedding path). All float32:
 *   inv = scale == 0 ? 1 : f32(1 / scale);  r = lrintf(f32(f32(x * inv) + zp))  (zp added BEFORE rounding)
 *   the long result is stored in an `int`: NaN/out-of-range (INT64_MIN) becomes 0, values past 2^31 wrap;
 *   then clamp to the dtype range.
 */
export function quantizeValFloatQparams(x: IeeeValue, scale: IeeeValue, zeroPoint: IeeeValue, dtype: QuantDtype): bigint {
  const q = wrapInt32(lrintfToInt64(f32Add(f32Mul(x, guardedInverseScale(scale)), zeroPoint)));
  const { min, max } = DTYPE_RANGE[dtype];
  return clampInt(q, BigInt(min), BigInt(max));
}

/** quantize_per_channel with float zero points (torch 1.13 aten/src/ATen/native/quantized/cpu/kernels/QuantizedOpKernels.cpp quantize_tensor_per_channel_float_qparams_cpu): quantizeValFloatQparams per element, float32 steps rounded via reference/exact. */
export function quantizePerChannelFloatQparams(
  x: F32Tensor,
  scales: F32Tensor,
  zeroPoints: F32Tensor,
  a: { axis: number; dtype: QuantDtype },
): IntTensor {
  const { dtype, axis } = checkQuantizeFloatQparams(x, scales, zeroPoints, a);
  const layout = channelLayout(x.shape, axis);
  const s = exactElementsF32(scales);
  const z = exactElementsF32(zeroPoints);
  return intTensor(
    dtype,
    x.shape,
    exactElementsF32(x).map((v, i) => {
      const c = channelOf(i, layout);
      return Number(quantizeValFloatQparams(v, s[c]!, z[c]!, dtype));
    }),
  );
}

/**
 * dequantize_per_channel_affine_kernel<float, float> (QuantizedOpKernels.cpp l.3933):
 * x = f32(f32((float)q - zp) * scale), both steps float32.
 */
export function dequantizePerChannelFloatQparams(q: IntTensor, scales: F32Tensor, zeroPoints: F32Tensor, a: { axis: number }): F32Tensor {
  const { axis } = checkDequantizeFloatQparams(q, scales, zeroPoints, a);
  const layout = channelLayout(q.shape, axis);
  const s = exactElementsF32(scales);
  const z = exactElementsF32(zeroPoints);
  return toF32Tensor(
    q.shape,
    Array.from(q.data, (v, i) => {
      const c = channelOf(i, layout);
      return f32Mul(f32Sub(intToF32(BigInt(v)), z[c]!), s[c]!);
    }),
  );
}
