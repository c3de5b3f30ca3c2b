/**
 * ONNX QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear (contract/onnx_quant.ts), fast twin of
 * reference/ops/quantize_linear.ts on plain numbers (Math.fround is the float32 op, impl/float32.ts says why).
 */
import { ONNX_DTYPE_RANGE, type OnnxIntDtype } from '../contract/onnx_dtypes.js';
import type { DequantizeLinearArgs, DynamicQuantizeLinearResult, MsDequantizeLinearArgs, MsQuantizeLinearArgs, QuantizeLinearArgs } from '../contract/onnx_quant.js';
import { msDequantizeLinearAsOnnx, msQuantizeLinearAsOnnx } from '../contract/ms_qdq_checks.js';
import { checkDequantizeLinear, checkDynamicQuantizeLinear, checkQuantizeLinear } from '../contract/onnx_quant_checks.js';
import { qdqParamIndex, quantizeLinearKernel } from '../contract/qdq_layout.js';
import type { F32Tensor, IntTensor } from '../contract/tensor.js';
import { clampInt, cvt32, f32Div, f32Mul, f32Sub, nearbyint, trunc32, wrapInt32 } from './float32.js';

/** MlasQuantizeLinearVector on one element: f32(x / scale), maxps/minps against the zero-point-shifted range (NaN -> qmin - zp), cvtps2dq, + zp. */
export function quantizeLinearValue(x: number, scale: number, zeroPoint: number, lo: number, hi: number): number {
  let v = f32Div(x, scale);
  v = v > lo - zeroPoint ? v : lo - zeroPoint; // maxps: the second operand unless v is greater (NaN too)
  v = v < hi - zeroPoint ? v : hi - zeroPoint; // minps
  return cvt32(v) + zeroPoint;
}

/** ORT's scalar QuantizeLinear step: clamp(wrap32((int32_t)nearbyint(f32(x / scale)) + zp)), NaN and overflow converting to INT32_MIN. */
export function quantizeLinearScalarValue(x: number, scale: number, zeroPoint: number, lo: number, hi: number): number {
  return clampInt(wrapInt32(trunc32(nearbyint(f32Div(x, scale))) + zeroPoint), lo, hi);
}

export function quantizeLinear(a: QuantizeLinearArgs, what = 'quantize_linear'): IntTensor {
  const { dtype, layout } = checkQuantizeLinear(a, what);
  const { min, max } = ONNX_DTYPE_RANGE[dtype];
  const x = a.x.data;
  const scales = a.yScale.data;
  const zps = a.yZeroPoint?.data;
  const fourBit = dtype === 'int4' || dtype === 'uint4';
  const y = new Int32Array(x.length);
  for (let i = 0; i < y.length; i++) {
    const k = qdqParamIndex(i, layout);
    const step = quantizeLinearKernel(i, layout, fourBit) === 'mlas' ? quantizeLinearValue : quantizeLinearScalarValue;
    y[i] = step(x[i] as number, scales[k] as number, zps ? (zps[k] as number) : 0, min, max);
  }
  return { dtype, shape: [...a.x.shape], data: y };
}

export function dequantizeLinear(a: DequantizeLinearArgs, what = 'dequantize_linear'): F32Tensor {
  const { layout } = checkDequantizeLinear(a, what);
  const q = a.x.data;
  const scales = a.xScale.data;
  const zps = a.xZeroPoint?.data;
  const y = new Float32Array(q.length);
  for (let i = 0; i < y.length; i++) {
    const k = qdqParamIndex(i, layout);
    y[i] = dequantizeLinearValue(q[i] as number, zps ? (zps[k] as number) : 0, scales[k] as number);
  }
  return { dtype: 'float32', shape: [...a.x.shape], data: y };
}

/**
 * One dequantized element, the one copy of the formula in impl/: f32(float(int32(q - zp)) * scale). ONNX DequantizeLinear
 * (and GatherBlockQuantized, MatMulNBits, QEmbedLayerNorm's and the lookup tables' dequantize) and torch's dequantize_val
 * (`static_cast<float>(scale) * (value - static_cast<int32_t>(zero_point))`, AffineQuantizerBase.cpp; the float32
 * product commutes). Domains: q - zp in int32 (wraps), int -> float rounds half to even (Math.fround of an exact
 * integer), float32 product. torch's quint4x2 kernel computes `((float)q - (float)zp) * scale` in float32, the same
 * values for 4-bit q and zp <= 255 (the difference is exact).
 */
export function dequantizeLinearValue(q: number, zeroPoint: number, scale: number): number {
  return f32Mul(Math.fround(wrapInt32(q - zeroPoint)), scale);
}

/** com.microsoft QuantizeLinear-1 / DequantizeLinear-1: the same kernels on the mapped arguments (contract/ms_qdq_checks.ts). */
export const msQuantizeLinear = (a: MsQuantizeLinearArgs): IntTensor => quantizeLinear(msQuantizeLinearAsOnnx(a), 'ms_quantize_linear');
export const msDequantizeLinear = (a: MsDequantizeLinearArgs): F32Tensor => dequantizeLinear(msDequantizeLinearAsOnnx(a), 'ms_dequantize_linear');

const U8: OnnxIntDtype = 'uint8';

export function dynamicQuantizeLinear(x: F32Tensor): DynamicQuantizeLinearResult {
  checkDynamicQuantizeLinear(x);
  const { min: qmin, max: qmax } = ONNX_DTYPE_RANGE[U8];
  let lo = 0;
  let hi = 0;
  for (const v of x.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = hi === lo ? 1 : f32Div(f32Sub(hi, lo), qmax - qmin);
  const initial = f32Sub(0, f32Div(lo, scale));
  const clampedHigh = initial < qmax ? initial : qmax; // std::min(255f, initial): NaN gives 255
  const zp = cvt32(0 < clampedHigh ? clampedHigh : 0); // std::max(0f, .)
  const y = new Int32Array(x.data.length);
  for (let i = 0; i < y.length; i++) y[i] = quantizeLinearValue(x.data[i] as number, scale, zp, qmin, qmax);
  return { y: { dtype: U8, shape: [...x.shape], data: y }, yScale: { dtype: 'float32', shape: [], data: Float32Array.of(scale) }, yZeroPoint: { dtype: U8, shape: [], data: Int32Array.of(zp) } };
}
