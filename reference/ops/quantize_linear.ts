/**
 * ONNX QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear as ONNX Runtime 1.30's CPU kernels compute them
 * (contract/onnx_quant.ts), exact: every float32 step rounded explicitly on rationals.
 */
import { ONNX_DTYPE_RANGE, type OnnxIntDtype } from '../../contract/onnx_dtypes.js';
import type { DequantizeLinearArgs, DynamicQuantizeLinearResult, MsDequantizeLinearArgs, MsQuantizeLinearArgs, QuantizeLinearArgs } from '../../contract/onnx_quant.js';
import { msDequantizeLinearAsOnnx, msQuantizeLinearAsOnnx } from '../../contract/ms_qdq_checks.js';
import { checkDequantizeLinear, checkDynamicQuantizeLinear, checkQuantizeLinear } from '../../contract/onnx_quant_checks.js';
import { qdqParamIndex, quantizeLinearKernel } from '../../contract/qdq_layout.js';
import { type F32Tensor, type IntTensor, intTensor } from '../../contract/tensor.js';
import { f32Div, f32Sub, intToF32 } from '../exact/float_arith.js';
import { ieeeEqual, ieeeLess, maxps, minps, stdMax, stdMin } from '../exact/ieee_compare.js';
import { type IeeeValue } from '../exact/ieee_value.js';
import { clampInt, cvtps2dq, nearbyint, truncToInt32, wrapInt32 } from '../exact/x86_conversions.js';
import { exactElementsF32, toF32Tensor } from '../values.js';
import { ZERO_F32 as ZERO } from '../constants.js';
import { dequantizeVal } from './dequantize.js';


/**
 * One element of MlasQuantizeLinearVector (onnxruntime/core/mlas/lib/quantize.cpp, SSE2 path; the scalar tail and
 * the 4-bit MlasQuantizeLinearS4/U4 kernels give the same), the element step of QuantizeLinear and of
 * DynamicQuantizeLinear:
 *   v = f32(x / scale)                 a float32 DIVISION (not torch's reciprocal multiply)
 *   v = maxps(v, f32(qmin - zp))       a NaN v becomes qmin - zp here (maxps keeps its second operand)
 *   v = minps(v, f32(qmax - zp))
 *   q = cvtps2dq(v) + zp               half to even; v is an integer-bounded float, so no indefinite value
 * which is saturate(round_half_even(f32(x / scale)) + zp) with NaN -> qmin and +-inf saturating.
 */
export function quantizeLinearValue(x: IeeeValue, scale: IeeeValue, zeroPoint: bigint, dtype: OnnxIntDtype): bigint {
  const { min, max } = ONNX_DTYPE_RANGE[dtype];
  let v = f32Div(x, scale);
  v = maxps(v, intToF32(BigInt(min) - zeroPoint));
  v = minps(v, intToF32(BigInt(max) - zeroPoint));
  return cvtps2dq(v) + zeroPoint;
}

/**
 * The scalar element step of ORT's blocked and 4-bit boundary code (onnxruntime/core/util/qmath.h BlockedQuantizeLinear,
 * ParQuantizeLinearStdS4/U4): std::clamp(static_cast<int32_t>(std::nearbyint(f32(x / scale))) + zp, qmin, qmax).
 *   r = nearbyint(f32(x / scale))     half to even, staying float
 *   t = (int32_t)r                    cvttss2si: NaN or outside int32 -> INT32_MIN
 *   q = clamp(wrap32(t + zp))         the zero point added in int32 (a negative one wraps INT32_MIN to near INT32_MAX)
 */
export function quantizeLinearScalarValue(x: IeeeValue, scale: IeeeValue, zeroPoint: bigint, dtype: OnnxIntDtype): bigint {
  const { min, max } = ONNX_DTYPE_RANGE[dtype];
  const t = truncToInt32(nearbyint(f32Div(x, scale)));
  return clampInt(wrapInt32(t + zeroPoint), BigInt(min), BigInt(max));
}

/**
 * QuantizeLinear-21 (quantize_linear.cc QuantizeLinear<T>::Compute): each element with its layout's scale and zero
 * point, through the element step of the ORT kernel that computes it (contract/qdq_layout.ts quantizeLinearKernel).
 */
export function quantizeLinear(a: QuantizeLinearArgs, what = 'quantize_linear'): IntTensor {
  const { dtype, layout } = checkQuantizeLinear(a, what);
  const scales = exactElementsF32(a.yScale);
  const zp = (k: number) => BigInt(a.yZeroPoint ? (a.yZeroPoint.data[k] as number) : 0);
  const fourBit = dtype === 'int4' || dtype === 'uint4';
  return intTensor(dtype, a.x.shape, exactElementsF32(a.x).map((v, i) => {
    const k = qdqParamIndex(i, layout);
    const step = quantizeLinearKernel(i, layout, fourBit) === 'mlas' ? quantizeLinearValue : quantizeLinearScalarValue;
    return Number(step(v, scales[k]!, zp(k), dtype));
  }));
}

/**
 * DequantizeLinear-21 (quantize_linear.cc DequantizeLinearApply): y = f32(float(int32(x) - zp) * scale). The
 * subtraction is int32 arithmetic (it wraps for int32 inputs with a zero point, as ORT 1.30 computes them), the
 * conversion to float rounds half to even (cvtsi2ss), then one float32 product.
 */
export function dequantizeLinear(a: DequantizeLinearArgs, what = 'dequantize_linear'): F32Tensor {
  const { layout } = checkDequantizeLinear(a, what);
  const scales = exactElementsF32(a.xScale);
  const zp = (k: number) => BigInt(a.xZeroPoint ? (a.xZeroPoint.data[k] as number) : 0);
  const y = Array.from(a.x.data, (q, i) => {
    const k = qdqParamIndex(i, layout);
    return dequantizeLinearValue(BigInt(q), zp(k), scales[k]!);
  });
  return toF32Tensor(a.x.shape, y);
}

/**
 * One element of DequantizeLinear (and of com.microsoft GatherBlockQuantized, MatMulNBits' B, QlinearBuildLookupTable,
 * QEmbedLayerNorm's quantization::Dequantize, QLinearAveragePool's dequantize_value): f32(float(int32(q - zp)) * scale),
 * an int32 difference converted to float32 and one float32 product. The same arithmetic as torch's dequantize_val
 * (reference/ops/dequantize.ts dequantizeVal, the one copy of the formula; a float32 product is commutative).
 */
export function dequantizeLinearValue(q: bigint, zeroPoint: bigint, scale: IeeeValue): IeeeValue {
  return dequantizeVal(q, scale, zeroPoint);
}

/**
 * com.microsoft QuantizeLinear-1 / DequantizeLinear-1: ORT 1.30 runs the same QuantizeLinear<T> / DequantizeLinear<T>
 * kernels (quantize_linear.cc, its contrib registrations), so the same arithmetic on the mapped arguments
 * (contract/ms_qdq_checks.ts: per tensor or per axis, the zero point's output type).
 */
export const msQuantizeLinear = (a: MsQuantizeLinearArgs): IntTensor => quantizeLinear(msQuantizeLinearAsOnnx(a), 'ms_quantize_linear');
/** com.microsoft DequantizeLinear-1: DequantizeLinear<T> on the mapped arguments (float32 product of an int32 difference). */
export const msDequantizeLinear = (a: MsDequantizeLinearArgs): F32Tensor => dequantizeLinear(msDequantizeLinearAsOnnx(a), 'ms_dequantize_linear');

/**
 * DynamicQuantizeLinear-11 (dynamicquantizelinear.cc; GetQuantizationParameter in onnxruntime/core/util/qmath.h):
 *   min, max   = the least and greatest element (an empty x: 0 and 0), then min = std::min(min, 0), max = std::max(max, 0)
 *   scale      = max == min ? 1 : f32(f32(max - min) / 255)
 *   zp         = RoundHalfToEven(std::max(0f, std::min(255f, f32(0 - f32(min / scale)))))   (a NaN gives 255)
 *   y          = quantizeLinearValue(x, scale, zp, uint8)
 * The scale is not checked: f32(max - min) may overflow to inf or the quotient underflow to 0, and y follows.
 * Which zero wins the min/max does not change any output, so the reduction order is not modelled.
 */
export function dynamicQuantizeLinear(x: F32Tensor): DynamicQuantizeLinearResult {
  checkDynamicQuantizeLinear(x);
  const xs = exactElementsF32(x);
  let lo = ZERO; // starting at 0 is min(min(x), 0) and max(max(x), 0) at once
  let hi = ZERO;
  for (const v of xs) {
    if (ieeeLess(v, lo)) lo = v;
    if (ieeeLess(hi, v)) hi = v;
  }
  const scale = ieeeEqual(hi, lo) ? intToF32(1n) : f32Div(f32Sub(hi, lo), intToF32(255n));
  const initial = f32Sub(ZERO, f32Div(lo, scale));
  const zp = cvtps2dq(stdMax(ZERO, stdMin(intToF32(255n), initial)));
  const y = xs.map((v) => Number(quantizeLinearValue(v, scale, zp, 'uint8')));
  return { y: intTensor('uint8', x.shape, y), yScale: toF32Tensor([], [scale]), yZeroPoint: intTensor('uint8', [], [Number(zp)]) };
}
