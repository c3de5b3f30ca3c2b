import { f32Add, f32Div, f32Sub } from '../../exact/float_arith.js';
import { ieeeLess } from '../../exact/ieee_compare.js';
import { DEFAULT_NAN, type IeeeValue, finite, quieted } from '../../exact/ieee_value.js';
import { Rational } from '../../exact/rational.js';
import { roundQuotient } from '../../exact/rounding.js';
import { HALF_F32, ONE_F32, ZERO_F32 } from '../../constants.js';
import { roundToIntegral } from '../../exact/x86_conversions.js';

/** C `v == 0` on a float: true for +-0, false for NaN. */
const isZero = (v: IeeeValue) => v.kind === 'finite' && v.value.isZero(); // `v == 0` (false for NaN)
/** C `v < 0` on a float: false for NaN and -0. */
const isNegative = (v: IeeeValue) => ieeeLess(v, ZERO_F32); // `v < 0` (false for NaN and -0)

/**
 * std::fmod on float: a - trunc(a/b) * b, computed exactly (the result is always representable), with
 * the sign of `a` (a zero result keeps a's sign). NaN operand -> that NaN; inf % b or a % 0 -> the
 * default NaN; a % inf -> a.
 */
export function fmodF32(a: IeeeValue, b: IeeeValue): IeeeValue {
  if (a.kind === 'nan') return quieted(a);
  if (b.kind === 'nan') return quieted(b);
  if (a.kind === 'infinity' || isZero(b)) return DEFAULT_NAN;
  if (b.kind === 'infinity') return a;
  const quotient = Rational.fromInt(roundQuotient(...a.value.quotientTerms(b.value), 'trunc'));
  return finite(a.value.sub(quotient.mul(b.value)), a.negative);
}

/**
 * torch.div(a, b, rounding_mode='floor') on float32 (aten/src/ATen/native/cpu/BinaryOpsKernel.cpp
 * div_floor_kernel, c10 div_floor_floating; the scalar and vector paths agree). Domain: float32 steps:
 *   b == 0: a / b
 *   mod = fmod(a, b); div = f32(f32(a - mod) / b); if mod != 0 and (b < 0) != (mod < 0): div = f32(div - 1)
 *   div != 0: floordiv = floor(div), + 1 when f32(div - floordiv) > 0.5;  div == 0: copysign(0, f32(a / b))
 * _compute_quantization_error uses it to find the destination bin of each source bin edge.
 */
export function floorDivF32(a: IeeeValue, b: IeeeValue): IeeeValue {
  if (isZero(b)) return f32Div(a, b);
  const mod = fmodF32(a, b);
  let div = f32Div(f32Sub(a, mod), b);
  if (!isZero(mod) && isNegative(b) !== isNegative(mod)) div = f32Sub(div, ONE_F32);
  if (isZero(div)) {
    const sign = f32Div(a, b);
    return finite(Rational.ZERO, sign.kind !== 'nan' && sign.negative);
  }
  let floor = floorOf(div);
  if (ieeeLess(HALF_F32, f32Sub(div, floor))) floor = f32Add(floor, ONE_F32);
  return floor;
}

/** std::floor: exact (an integral float), -0 kept, NaN and infinities unchanged; floor(-0.5) = -1. */
function floorOf(v: IeeeValue): IeeeValue {
  return roundToIntegral(v, 'floor');
}
