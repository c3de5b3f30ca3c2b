import { Rational } from './rational.js';

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

const HALF = Rational.of(1n, 2n);

/**
 * Round an exact rational to an integer with the given mode. Exact domain: no float is involved.
 * This is the only integer rounding in the reference; every other rounding calls it.
 */
export function roundRational(r: Rational, mode: RoundingMode): bigint {
  const f = r.floor();
  const frac = r.fraction(); // in [0, 1)
  if (frac.isZero()) return f;
  switch (mode) {
    case 'floor':
      return f;
    case 'ceil':
      return f + 1n;
    case 'trunc':
      return r.sign() < 0 ? f + 1n : f;
  }
  const c = frac.cmp(HALF);
  if (c < 0) return f;
  if (c > 0) return f + 1n;
  // exact tie between f and f + 1
  switch (mode) {
    case 'half_even':
      return f % 2n === 0n ? f : f + 1n;
    case 'half_away_from_zero':
      return r.sign() < 0 ? f : f + 1n;
    case 'half_toward_zero':
      return r.sign() < 0 ? f + 1n : f;
    case 'half_toward_pos_inf':
      return f + 1n;
    case 'half_toward_neg_inf':
      return f;
  }
}
