/**
 * conv2d__sat16_pairs_f32_zp: oneDNN v2.6.3's 1x1 kernel without VNNI (contract/conv.ts
 * `sat16_pairs_f32_zp`), fast twin of reference/conv/sat16_pairs_f32_zp_accumulator.ts: the saturated pair
 * sum S of conv2d__sat16_pairs, then acc = f32(f32(int32(S)) + f32(int32(-z * sum w))), the compensation
 * added in float32 (both operands are integers below 2^32 in magnitude, so their double sum is exact and
 * Math.fround rounds it once, half to even). Not wrapped to int32 afterwards.
 */
import type { Conv2dArgs } from '../../contract/conv.js';
import type { ConvGeometry } from '../../contract/conv_checks.js';
import { type Sat16Combine, conv2d__sat16_pairs } from './sat16_pairs.js';

const floatCompensation: Sat16Combine = (s, sumW, _sumX, _count, zxu) => Math.fround(Math.fround(s | 0) + Math.fround((-zxu * sumW) | 0));

export function conv2d__sat16_pairs_f32_zp(a: Conv2dArgs, g: ConvGeometry): Float64Array {
  return conv2d__sat16_pairs(a, g, floatCompensation);
}
