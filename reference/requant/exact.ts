/**
 * exact@1: the textbook formula on exact rationals, no backend's rounding:
 *   y = clamp(round_half_even(z_y + (acc * s_x * s_w + b) / s_y))
 * with the f64 scales taken as exact values; an int32 bias is in units of s_x * s_w (b = bias * s_x * s_w).
 * The reference point every other scheme is compared with in the distinguishing table.
 */
import { exactValue } from '../exact/ieee_value.js';
import { Rational } from '../exact/rational.js';
import { roundRational } from '../exact/rounding.js';
import { clampInt } from '../exact/x86_conversions.js';
import type { ChannelQuant, RequantRef } from './types.js';

export interface ExactParams {
  /** s_x * s_w / s_y */
  readonly multiplier: Rational;
  /** b / s_y, in output units */
  readonly biasOut: Rational;
  readonly c: ChannelQuant;
}

/** The exact multiplier s_x s_w / s_y and the bias in output units, from the wire scales as exact rationals (no backend's rounding). */
function prepare(c: ChannelQuant): ExactParams {
  const sxw = exactValue(c.xScale).mul(exactValue(c.wScale));
  const sy = exactValue(c.yScale);
  const bias = c.bias === null ? Rational.ZERO : c.bias.kind === 'float32' ? exactValue(c.bias.value) : Rational.fromInt(c.bias.value).mul(sxw);
  return { multiplier: sxw.div(sy), biasOut: bias.div(sy), c };
}

/** Exact rational domain throughout; the only rounding is the final half-even one, the clamp is the dtype/ReLU range. */
function requantize(acc: bigint, p: ExactParams): bigint {
  const real = Rational.fromInt(acc).mul(p.multiplier).add(p.biasOut).add(Rational.fromInt(p.c.yZeroPoint));
  return clampInt(roundRational(real, 'half_even'), p.c.outMin, p.c.outMax);
}

export const exact: RequantRef<ExactParams> = { prepare, requantize };
