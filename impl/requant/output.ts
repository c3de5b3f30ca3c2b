import { clampInt } from '../float32.js';
import type { ChannelQuantF } from './types.js';

/** `r + zero_point` then the clamp to [outMin, outMax] (the integer schemes' last step). */
export function addZeroPointAndClamp(r: number, c: ChannelQuantF): number {
  return clampInt(r + c.yZeroPoint, c.outMin, c.outMax);
}

/** int16 saturation (packs_epi32 / adds_epi16). */
export function sat16(v: number): number {
  return clampInt(v, -32768, 32767);
}

/** _mm_min_ps(_mm_max_ps(v, lo), hi): a NaN v gives lo (reference/requant/float_clamp.ts). */
export function clampFloat(v: number, lo: number, hi: number): number {
  const atLeastLo = v > lo ? v : lo;
  return atLeastLo < hi ? atLeastLo : hi;
}
