import fc from 'fast-check';
import { float32FromBits } from '../../contract/float_bits.js';
import { nextFloat32 } from '../support/float32_steps.js';
import { anyFloat32, moderateFloat32, rawFloat32 } from './float32.js';

/** An observer state entry: min_val and max_val, float32. */
export interface MinMaxPair {
  readonly min: number;
  readonly max: number;
}

const ordered = ([a, b]: [number, number]): MinMaxPair => (a <= b ? { min: a, max: b } : { min: b, max: a });

/** Ranges narrower than eps * 255 around v: v itself, a few ulps, or up to 1e-5 wide. */
const tinyRange = fc
  .tuple(moderateFloat32(10), fc.integer({ min: 0, max: 8 }), fc.boolean())
  .map(([v, ulps, absolute]): MinMaxPair => {
    let max = v;
    for (let i = 0; i < ulps; i++) max = nextFloat32(max, true);
    return absolute ? { min: v, max: Math.fround(v + 1e-5 * (ulps / 8)) } : { min: v, max };
  });

/** Pairs with min <= max, including the degenerate: min = max, zeros of both signs, tiny ranges, infinite ends. */
export const orderedMinMaxPair: fc.Arbitrary<MinMaxPair> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(moderateFloat32(300), moderateFloat32(300)).map(ordered) },
  { weight: 2, arbitrary: fc.tuple(anyFloat32, anyFloat32).filter(([a, b]) => !Number.isNaN(a) && !Number.isNaN(b)).map(ordered) },
  { weight: 2, arbitrary: moderateFloat32(300).map((v) => ({ min: v, max: v })) },
  { weight: 2, arbitrary: fc.constantFrom<[number, number]>([0, 0], [-0, 0], [0, -0], [-0, -0]).map(([min, max]) => ({ min, max })) },
  { weight: 2, arbitrary: tinyRange },
  {
    weight: 1,
    arbitrary: fc.constantFrom<MinMaxPair>(
      { min: -Infinity, max: 1 },
      { min: 0, max: Infinity },
      { min: -Infinity, max: Infinity },
      { min: float32FromBits(1), max: float32FromBits(2) },
      { min: -float32FromBits(0x7f7fffff), max: float32FromBits(0x7f7fffff) },
    ),
  },
);

/** Any pair: ordered ones, plus min > max, the never-observed (+inf, -inf) and NaN at either end. */
export const minMaxPair: fc.Arbitrary<MinMaxPair> = fc.oneof(
  { weight: 14, arbitrary: orderedMinMaxPair },
  { weight: 1, arbitrary: fc.tuple(moderateFloat32(300), moderateFloat32(300)).map(([a, b]) => ({ min: Math.max(a, b) + 1, max: Math.min(a, b) })) },
  { weight: 1, arbitrary: fc.constant({ min: Infinity, max: -Infinity }) },
  { weight: 1, arbitrary: fc.tuple(rawFloat32, fc.boolean()).map(([v, nanFirst]) => (nanFirst ? { min: NaN, max: v } : { min: v, max: NaN })) },
);
