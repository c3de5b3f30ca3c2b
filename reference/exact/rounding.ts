import { type Rational, floorDivision } from './rational.js';

/**
 * The one rounding catalogue of the reference. Modes are named by the direction a value goes,
 * never "half up": `half_even` is IEEE roundTiesToEven (std::nearbyint, cvtps2dq, torch.round),
 * `half_away_from_zero` is C round()/std::lround, `half_toward_pos_inf` is floor(x + 1/2)
 * (JavaScript Math.round), `half_toward_neg_inf` is ceil(x - 1/2), `half_toward_zero`,
 * and the directed modes `floor`, `ceil`, `trunc`.
 */
export const ROUNDING_MODES = [
  'half_even',
  'half_away_from_zero',
  'half_toward_zero',
  'half_toward_pos_inf',
  'half_toward_neg_inf',
  'floor',
  'ceil',
  'trunc',
] as const;

export type RoundingMode = (typeof ROUNDING_MODES)[number];

/**
 * Round an exact rational to an integer with the given mode. Exact domain: no float is involved.
 * A rational's terms are num / den with den > 0: roundQuotient below does the rounding.
 */
export function roundRational(r: Rational, mode: RoundingMode): bigint {
  return roundQuotient(r.num, r.den, mode);
}

/**
 * Round num / den (den > 0, the terms need not be reduced) to an integer with the given mode: the reference's one
 * rounding to an integer in a named mode (roundRational calls it, and roundToFormat rounds its significand with it
 * without building the quotient as a Rational). Exact domain: floorDivision (rational.ts, the one integer division,
 * which Rational.floor also is), then the remainder against den / 2.
 */
export function roundQuotient(num: bigint, den: bigint, mode: RoundingMode): bigint {
  const [f, rem] = floorDivision(num, den); // throws on den <= 0
  if (rem === 0n) return f;
  switch (mode) {
    case 'floor':
      return f;
    case 'ceil':
      return f + 1n;
    case 'trunc':
      return num < 0n ? f + 1n : f;
  }
  const twice = 2n * rem; // the fraction rem / den against 1/2
  if (twice < den) return f;
  if (twice > den) return f + 1n;
  // exact tie between f and f + 1
  switch (mode) {
    case 'half_even':
      return f % 2n === 0n ? f : f + 1n;
    case 'half_away_from_zero':
      return num < 0n ? f : f + 1n;
    case 'half_toward_zero':
      return num < 0n ? f + 1n : f;
    case 'half_toward_pos_inf':
      return f + 1n;
    case 'half_toward_neg_inf':
      return f;
  }
}
