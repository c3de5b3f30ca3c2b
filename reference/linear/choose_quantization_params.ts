/**
 * quant_utils::ChooseQuantizationParams (aten/src/ATen/native/quantized/cpu/QuantUtils.h, torch 1.13.1) with
 * preserve_sparsity and force_scale_power_of_two false, as the dynamic linears call it: the qparams of a quint8
 * input from its observed float32 min and max. Arithmetic domains, step by step:
 *   - [min, max] widened to include 0 (float32 std::min/std::max; values are finite here);
 *   - scale = ((double)max - min) / (qmax - qmin) in double; 0.1 when (float)scale is 0 or 1/(float)scale is inf;
 *   - below SMALL_SCALE_THRESHOLD = 6.1e-5f the scale becomes that threshold and min/max are moved in float32
 *     (max = T * (qmax - qmin) when min == 0, min = -T * (qmax - qmin) when max == 0, else both times
 *     amplifier = T / (float)scale);
 *   - the zero point from whichever of min/max gives the smaller error term, in double, clamped to [qmin, qmax]
 *     or nearbyint (half-even). TensorQuantizationParams keeps the scale as a double: `scaleF64`; qnnpack and
 *     at::quantize_per_tensor use it as float (`scale`), onednn divides 1.0 by the double.
 */
import { BINARY64, finite, type IeeeValue } from '../exact/ieee_value.js';
import { convertFormat, ieeeNeg, f32Div, f32Mul, f64Div, f64Sub, intToF32, intToF64, toF32 } from '../exact/float_arith.js';
import { ieeeEqual, ieeeLess } from '../exact/ieee_compare.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import { nearbyint } from '../exact/x86_conversions.js';
import { ONE_F32, ZERO_F32 } from '../constants.js';
import { roundRational } from '../exact/rounding.js';
import { f32Literal } from '../exact/f32_literal.js';

/** (double)x of a float (cvtss2sd): exact. */
const toF64 = (v: IeeeValue): IeeeValue => convertFormat(v, BINARY64);
/** QuantUtils.h `constexpr float SMALL_SCALE_THRESHOLD = 6.1e-5f`: the decimal rounded once to float32, as the compiler does. */
const SMALL_SCALE_THRESHOLD = f32Literal(61n, -6);
/** std::abs on a float: the magnitude, exact (no rounding). */
const abs = (v: IeeeValue): IeeeValue => (v.kind === 'finite' ? finite(v.value.abs()) : v);

export interface ChosenQparams {
  /** float32: (float)scale */
  readonly scale: IeeeValue;
  /** float64: the double TensorQuantizationParams.scale holds */
  readonly scaleF64: IeeeValue;
  readonly zeroPoint: bigint;
}

/** ChooseQuantizationParams(min, max, qmin, qmax): `min` and `max` are finite float32 values. */
export function chooseQuantizationParams(minF: IeeeValue, maxF: IeeeValue, qmin: number, qmax: number): ChosenQparams {
  let min = ieeeLess(minF, ZERO_F32) ? minF : ZERO_F32;
  let max = ieeeLess(ZERO_F32, maxF) ? maxF : ZERO_F32;
  const span = qmax - qmin;
  let scale = f64Div(f64Sub(toF64(max), toF64(min)), intToF64(BigInt(span)));
  const scaleF = toF32(scale);
  if (ieeeEqual(scaleF, ZERO_F32) || f32Div(ONE_F32, scaleF).kind === 'infinity') scale = fromFloat64(0.1);
  if (ieeeLess(scale, SMALL_SCALE_THRESHOLD)) {
    const orgScale = toF32(scale);
    scale = SMALL_SCALE_THRESHOLD;
    if (ieeeEqual(min, ZERO_F32)) max = f32Mul(SMALL_SCALE_THRESHOLD, intToF32(BigInt(span)));
    else if (ieeeEqual(max, ZERO_F32)) min = f32Mul(ieeeNeg(SMALL_SCALE_THRESHOLD), intToF32(BigInt(span)));
    else {
      const amplifier = f32Div(SMALL_SCALE_THRESHOLD, orgScale);
      min = f32Mul(min, amplifier);
      max = f32Mul(max, amplifier);
    }
  }
  const minOverScale = f64Div(toF64(min), scale);
  const maxOverScale = f64Div(toF64(max), scale);
  const fromMin = f64Sub(intToF64(BigInt(qmin)), minOverScale);
  const fromMax = f64Sub(intToF64(BigInt(qmax)), maxOverScale);
  const fromMinError = f64Sub(intToF64(BigInt(Math.abs(qmin))), abs(minOverScale));
  const fromMaxError = f64Sub(intToF64(BigInt(Math.abs(qmax))), abs(maxOverScale));
  const initial = ieeeLess(fromMinError, fromMaxError) ? fromMin : fromMax;
  let zeroPoint: bigint;
  if (ieeeLess(initial, intToF64(BigInt(qmin)))) zeroPoint = BigInt(qmin);
  else if (ieeeLess(intToF64(BigInt(qmax)), initial)) zeroPoint = BigInt(qmax);
  else {
    const r = nearbyint(initial);
    zeroPoint = r.kind === 'finite' ? roundRational(r.value, 'half_even') : 0n;
  }
  return { scale: toF32(scale), scaleF64: scale, zeroPoint };
}
