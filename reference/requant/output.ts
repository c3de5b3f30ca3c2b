import { clampInt } from '../exact/x86_conversions.js';
import type { ChannelQuant } from './types.js';

/** The last step of the integer schemes: `r + zero_point` as an int32 add (no overflow: |r| < 2^31 - 2^8 is not assumed, the sum is exact), then the clamp to [outMin, outMax]. */
export function addZeroPointAndClamp(r: bigint, c: ChannelQuant): bigint {
  return clampInt(r + c.yZeroPoint, c.outMin, c.outMax);
}

/** sat16: _mm_packs_epi32 / _mm_adds_epi16 saturation to int16. */
export function saturateInt16(v: bigint): bigint {
  return clampInt(v, -32768n, 32767n);
}
