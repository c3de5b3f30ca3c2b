import { float32Reciprocal } from '../support/float32_steps.js';

/** The grid an element is quantized on, as the kernel sees it. */
export interface QuantGrid {
  /** float32 scale */
  readonly scale: number;
  /** what x is multiplied by: f32(1 / scale), or 1 for a zero float-qparams scale */
  readonly inverse: number;
  readonly zeroPoint: number;
  /** window of quantized levels the level and tie recipes aim at */
  readonly lowest: number;
  readonly highest: number;
}

/** j + 0.5 is a float32 value while |j| < 2^23; stay well inside. */
const TIE_REACH = 2 ** 22;

function quantGrid(scale: number, inverse: number, zeroPoint: number, qmin: number, qmax: number): QuantGrid {
  const center = Number.isFinite(zeroPoint) ? Math.round(zeroPoint) : 0;
  const lowest = Math.max(qmin, center - TIE_REACH);
  const highest = Math.min(qmax, center + TIE_REACH);
  return lowest <= highest ? { scale, inverse, zeroPoint, lowest, highest } : { scale, inverse, zeroPoint, lowest: center, highest: center };
}

/** The grid of quantize_per_tensor / quantize_per_channel / fake-quantize: inverse f32(1 / f32(scale)). */
export function affineGrid(scale: number, zeroPoint: number, qmin: number, qmax: number): QuantGrid {
  return quantGrid(Math.fround(scale), float32Reciprocal(scale), zeroPoint, qmin, qmax);
}

/** The grid of the float-qparams kernels: a zero scale means inverse 1. */
export function floatQparamsGrid(scale: number, zeroPoint: number, qmin: number, qmax: number): QuantGrid {
  return quantGrid(Math.fround(scale), scale === 0 ? 1 : float32Reciprocal(scale), zeroPoint, qmin, qmax);
}
