import { BINARY16, type IeeeValue, nan } from './ieee_value.js';
import { roundToFormat } from './round_to_format.js';

/**
 * A float32 value converted to float16 as onnxruntime's MLFloat16(float) does it
 * (include/onnxruntime/core/session/onnxruntime_float16.h, Float16Impl::ToUint16Impl): a finite value rounded to
 * nearest even in binary16 (reference/exact/round_to_format.ts: subnormals at the quantum 2^-24, |v| >= 65520 to
 * infinity, the sign of zero kept), an infinity kept, any NaN the quiet NaN 0x7e00 with its sign.
 */
export function toFloat16(v: IeeeValue): IeeeValue {
  if (v.kind === 'nan') return nan(v.negative);
  if (v.kind === 'infinity') return v;
  return roundToFormat(v.value, BINARY16, v.negative);
}
