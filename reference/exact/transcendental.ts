/**
 * e^r and ln(x) of exact rationals to a stated precision, over bigint fixed point: the reference's stand-in for a
 * correctly rounded libm. Each function returns an interval [lo, hi] that contains the true value, hi - lo tiny
 * (relative width below 2^-200), so a caller can round both ends and see whether the rounding is decided.
 */
import { Rational, bitLength } from './rational.js';

/** Fixed-point fraction bits of the working precision. */
const P = 256n;
const ONE = 1n << P;
/** A bound on the relative error of the fixed-point results below (see each function), with margin. */
const REL_ERROR = Rational.pow2(-216);

export interface Interval {
  readonly lo: Rational;
  readonly hi: Rational;
}

/** [v - |v| 2^-216, v + |v| 2^-216]: a fixed-point result widened by its error bound (exact rationals). */
const widen = (v: Rational): Interval => ({ lo: v.sub(v.abs().mul(REL_ERROR)), hi: v.add(v.abs().mul(REL_ERROR)) });

/** floor(r * 2^P) for a rational r. */
const fixed = (r: Rational): bigint => Rational.of(r.num << P, r.den).floor();

/**
 * e^r. Argument halving: y = |r| / 2^s with |y| <= 2^-10, Taylor series of e^y in fixed point (each term floored:
 * under 40 terms, so under 40 units of 2^-P), then s squarings (each doubles the relative error and adds one unit;
 * e^y >= 1, so units are relative; s <= 20 for |r| < 2^10): relative error below 2^(20 + 6 - 256) = 2^-230.
 * For r < 0, 1 / e^|r| keeps the relative error. |r| must be below 2^10; r < -200 returns [0, e^-200 bound].
 */
export function expInterval(r: Rational): Interval {
  if (r.lt(Rational.fromInt(-200))) return { lo: Rational.ZERO, hi: Rational.pow2(-288) };
  const a = r.abs();
  if (!a.lt(Rational.pow2(10))) throw new RangeError(`expInterval: |r| = ${a} is beyond 2^10`);
  let s = 0;
  while (!a.div(Rational.pow2(s)).le(Rational.pow2(-10))) s++;
  const y = fixed(a.div(Rational.pow2(s)));
  let sum = ONE;
  let term = ONE;
  for (let k = 1n; term !== 0n; k++) {
    term = (term * y) / (ONE * k);
    sum += term;
  }
  for (let k = 0; k < s; k++) sum = (sum * sum) >> P;
  const v = Rational.of(sum, ONE);
  return widen(r.sign() < 0 ? Rational.ONE.div(v) : v);
}

/** atanh(z) * 2^P in fixed point for 0 <= z <= 1/3 (series in z^2 <= 1/9: under 90 terms, each floored). */
function atanhFixed(z: Rational): bigint {
  const zf = fixed(z);
  const z2 = (zf * zf) >> P;
  let power = zf;
  let sum = 0n;
  for (let k = 1n; power !== 0n; k += 2n) {
    sum += power / k;
    power = (power * z2) >> P;
  }
  return sum;
}

/**
 * ln(x) for x > 0, the reference's stand-in for libm's log (reference/onnx/qlinear_softmax.ts uses it only where any
 * faithful log rounds alike), in bigint fixed point with exact rationals around it: x = m * 2^e with m in [1, 2), ln x = e ln 2 + ln m, each logarithm 2 atanh((m - 1) / (m + 1))
 * (ln 2 = 2 atanh(1/3)); under 200 floored units of 2^-P per atanh, times |e| + 1 <= 2^11: absolute error below 2^-230.
 * The interval is widened by 2^-216 relative to ln x and by 2^-216 absolute (for ln x near 0).
 */
export function logInterval(x: Rational): Interval {
  if (x.sign() <= 0) throw new RangeError('logInterval: x must be > 0');
  let e = bitLength(x.num) - bitLength(x.den);
  let m = x.div(Rational.pow2(e));
  while (m.lt(Rational.ONE)) {
    m = m.mul(Rational.fromInt(2));
    e--;
  }
  while (!m.lt(Rational.fromInt(2))) {
    m = m.div(Rational.fromInt(2));
    e++;
  }
  const ln2 = 2n * atanhFixed(Rational.of(1n, 3n));
  const lnM = 2n * atanhFixed(m.sub(Rational.ONE).div(m.add(Rational.ONE)));
  const v = Rational.of(BigInt(e) * ln2 + lnM, ONE);
  const w = v.abs().mul(REL_ERROR).add(REL_ERROR);
  return { lo: v.sub(w), hi: v.add(w) };
}
