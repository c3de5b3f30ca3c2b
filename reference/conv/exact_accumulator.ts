/**
 * The exact accumulator of a quantized conv (pytorch-1.13-semantics.md §4.0): the mathematical sum
 *   acc = sum over the window of (x - z_x) * (w - z_w[oc]),
 * with padding read as z_x (it contributes 0). Exact integer domain (bigint), no width limit.
 */
import type { Conv2dArgs } from '../../contract/conv.js';
import type { ConvGeometry } from '../../contract/conv_checks.js';
import type { Tap } from './window.js';
import { exactIntDot } from '../exact/int_dot.js';

/** The `exact` and `int32_wrap` accumulator of one output (the caller checks or wraps it to int32): sum over the valid taps of (x - z_x)(w - z_w), exact bigint. */
export function exactAccumulator(a: Conv2dArgs, g: ConvGeometry, oc: number, taps: readonly Tap[]): bigint {
  const zx = BigInt(a.xZeroPoint);
  const zw = BigInt(a.weightZeroPoints.data[g.perChannel ? oc : 0] as number);
  // a padded tap reads z_x: (z_x - z_x) * w = 0
  const x = (i: number): bigint => (taps[i]!.xIndex < 0 ? zx : BigInt(a.x.data[taps[i]!.xIndex] as number));
  return exactIntDot(taps.length, x, (i) => BigInt(a.weight.data[taps[i]!.wIndex] as number), zx, zw);
}
