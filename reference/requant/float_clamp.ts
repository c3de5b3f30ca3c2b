import { ieeeLess } from '../exact/ieee_compare.js';
import type { IeeeValue } from '../exact/ieee_value.js';

/**
 * _mm_min_ps(_mm_max_ps(d, lo), hi), the float clamp of MLAS MlasRequantizeOutput (onnxruntime/core/mlas/lib/quantize.cpp)
 * and of oneDNN's saturation before cvtps2dq (vmaxps, vminps). MAXPS returns its second operand unless the first is
 * greater, MINPS unless the first is less (Intel SDM, MAXPS/MINPS), so a NaN d (f32(0 * inf): an output scale that
 * overflowed, times an accumulator of 0) comes out as lo. Real ONNX Runtime 1.30 (QLinearMatMul, QGemm, QLinearConv)
 * and torch 1.13 onednn give the output dtype's minimum there. Exact domain: two comparisons.
 */
export function clampFloat(d: IeeeValue, lo: IeeeValue, hi: IeeeValue): IeeeValue {
  const atLeastLo = ieeeLess(lo, d) ? d : lo;
  return ieeeLess(atLeastLo, hi) ? atLeastLo : hi;
}
