/**
 * quant_utils::ChooseQuantizationParams (QuantUtils.h, torch 1.13.1; preserve_sparsity and
 * force_scale_power_of_two false) in JS numbers: doubles are doubles, float steps are Math.fround of one
 * double operation (exact emulation, impl/float32.ts). Inputs are finite float32 values.
 */
import { f32Div, f32Mul, nearbyint } from '../float32.js';

const SMALL_SCALE_THRESHOLD = Math.fround(6.1e-5);

/** Returns the scale as float32 (`scale`) and as the double torch keeps (`scaleF64`), and the zero point. */
export function chooseQuantizationParams(minIn: number, maxIn: number, qmin: number, qmax: number): { scale: number; scaleF64: number; zeroPoint: number } {
  let min = minIn < 0 ? minIn : 0;
  let max = maxIn > 0 ? maxIn : 0;
  const span = qmax - qmin;
  let scale = (max - min) / span;
  const scaleF = Math.fround(scale);
  if (scaleF === 0 || !Number.isFinite(f32Div(1, scaleF))) scale = 0.1;
  if (scale < SMALL_SCALE_THRESHOLD) {
    const orgScale = Math.fround(scale);
    scale = SMALL_SCALE_THRESHOLD;
    if (min === 0) max = f32Mul(SMALL_SCALE_THRESHOLD, span);
    else if (max === 0) min = f32Mul(-SMALL_SCALE_THRESHOLD, span);
    else {
      const amplifier = f32Div(SMALL_SCALE_THRESHOLD, orgScale);
      min = f32Mul(min, amplifier);
      max = f32Mul(max, amplifier);
    }
  }
  const fromMin = qmin - min / scale;
  const fromMax = qmax - max / scale;
  const fromMinError = Math.abs(qmin) - Math.abs(min / scale);
  const fromMaxError = Math.abs(qmax) - Math.abs(max / scale);
  const initial = fromMinError < fromMaxError ? fromMin : fromMax;
  const zeroPoint = initial < qmin ? qmin : initial > qmax ? qmax : nearbyint(initial) + 0;
  return { scale: Math.fround(scale), scaleF64: scale, zeroPoint };
}
