import fc from 'fast-check';
import { fraction } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { Rational, bitLength, floorLog2Quotient } from '../../reference/exact/rational.js';
import { ROUNDING_MODES, type RoundingMode, roundQuotient } from '../../reference/exact/rounding.js';
import { roundQuotientToFormat } from '../../reference/exact/round_to_format.js';
import { fromFloat32, fromFloat64 } from '../../reference/exact/ieee_bits.js';
import { BINARY32, BINARY64, describe as describeValue, exactValue } from '../../reference/exact/ieee_value.js';
import { checkProperty } from '../support/property.js';

/**
 * The reference's exact core takes shortcuts where a float's terms allow them: a power-of-two denominator in
 * Rational.add, bitLength by comparisons, a quotient rounded from its unreduced terms (roundQuotient,
 * roundQuotientToFormat, Rational.quotientTerms). Each is checked here against an independent computation: mathjs
 * fractions, strings, or the hardware's IEEE division.
 */

/** A float-like rational: an odd-or-even numerator over 2^k, k up to 1100 (binary64 products reach 2^-2148). */
const dyadicArb = fc.tuple(fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }), fc.integer({ min: 0, max: 1100 })).map(([n, k]) => ({ n, d: 1n << BigInt(k) }));
const positiveArb = fc.bigInt({ min: 1n, max: 2n ** 300n });

/** The text of a mathjs fraction, normalized as Rational.toString: an independent exact oracle. */
function mathjsText(f: { s: number | bigint; n: number | bigint; d: number | bigint }): string {
  const sign = Number(f.s) < 0 ? -1n : 1n;
  return Rational.of(sign * BigInt(f.n), BigInt(f.d)).toString();
}

/** round(num / den) in `mode` from mathjs fractions: floor, then the fraction against 1/2, then the tie rule. */
function mathjsRound(num: bigint, den: bigint, mode: RoundingMode): bigint {
  const x = fraction(num, den);
  const f = BigInt(x.floor().toString());
  const frac = x.sub(fraction(f, 1n));
  if (Number(frac.n) === 0) return f;
  const negative = num < 0n;
  const directed: Partial<Record<RoundingMode, bigint>> = { floor: f, ceil: f + 1n, trunc: negative ? f + 1n : f };
  if (directed[mode] !== undefined) return directed[mode]!;
  const c = frac.compare(fraction(1n, 2n));
  if (Number(c) !== 0) return Number(c) < 0 ? f : f + 1n;
  const tie: Record<string, bigint> = { half_even: f % 2n === 0n ? f : f + 1n, half_away_from_zero: negative ? f : f + 1n, half_toward_zero: negative ? f + 1n : f, half_toward_pos_inf: f + 1n, half_toward_neg_inf: f };
  return tie[mode]!;
}

describe('the exact core fast paths agree with independent computations', () => {
  it('Rational.add and sub of power-of-two denominators agree with mathjs (the dyadic path is taken)', () => {
    let dyadicPairs = 0;
    checkProperty('dyadic add/sub vs mathjs', fc.tuple(dyadicArb, dyadicArb), ([a, b]) => {
      const ra = Rational.of(a.n, a.d);
      const rb = Rational.of(b.n, b.d);
      if (ra.den !== rb.den && ra.den !== 1n && rb.den !== 1n) dyadicPairs++;
      expect(ra.add(rb).toString()).toBe(mathjsText(fraction(a.n, a.d).add(fraction(b.n, b.d))));
      expect(ra.sub(rb).toString()).toBe(mathjsText(fraction(a.n, a.d).sub(fraction(b.n, b.d))));
    });
    expect(dyadicPairs).toBeGreaterThan(100); // not vacuous: most pairs have different power-of-two denominators
  });

  it('bitLength counts the bits of 0, of 2^k - 1, 2^k and 2^k + 1 and of their negatives, k < 3000', () => {
    for (let k = 0; k < 3000; k++) {
      for (const delta of [-1n, 0n, 1n]) {
        const v = (1n << BigInt(k)) + delta;
        const want = v === 0n ? 0 : v.toString(2).length;
        expect(bitLength(v), `bitLength(${v})`).toBe(want);
        expect(bitLength(-v), `bitLength(-${v})`).toBe(want);
      }
    }
  });

  it('floorLog2Quotient brackets num / den for unreduced terms', () => {
    checkProperty('floorLog2Quotient', fc.tuple(positiveArb, positiveArb), ([num, den]) => {
      const e = floorLog2Quotient(num, den);
      const r = Rational.of(num, den);
      expect(Rational.pow2(e).le(r) && r.lt(Rational.pow2(e + 1))).toBe(true);
    });
  });

  it('roundQuotient rounds unreduced terms in every mode as mathjs fractions do, ties included', () => {
    let ties = 0;
    const termsArb = fc.tuple(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), fc.bigInt({ min: 1n, max: 2n ** 40n }), fc.bigInt({ min: 1n, max: 1000n }), fc.boolean());
    checkProperty('roundQuotient vs mathjs', termsArb, ([n, d, k, forceTie]) => {
      const [num, den] = forceTie ? [(2n * n + 1n) * k, 2n * k] : [n * k, d * k]; // a common factor k left in the terms
      if (forceTie) ties++;
      for (const mode of ROUNDING_MODES) expect(roundQuotient(num, den, mode), `${num}/${den} ${mode}`).toBe(mathjsRound(num, den, mode));
    });
    expect(ties).toBeGreaterThan(50);
  });

  it('quotientTerms gives the terms of div, with a positive denominator', () => {
    const nonZeroDyadic = dyadicArb.filter(({ n }) => n !== 0n);
    checkProperty('quotient terms', fc.tuple(dyadicArb, nonZeroDyadic), ([a, b]) => {
      const [num, den] = Rational.of(a.n, a.d).quotientTerms(Rational.of(b.n, b.d));
      expect(den > 0n).toBe(true);
      expect(Rational.of(num, den).eq(Rational.of(a.n, a.d).div(Rational.of(b.n, b.d)))).toBe(true);
    });
    expect(() => Rational.ONE.quotientTerms(Rational.ZERO)).toThrow(/division by zero/);
  });

  it('roundQuotientToFormat of a quotient of floats is the hardware division (binary64 a / b, binary32 Math.fround(a / b))', () => {
    // binary32: the double quotient of two float32 values rounded to float32 is the correctly rounded float32 quotient
    // (53 >= 2 * 24 + 2 bits, so the double rounding is innocuous), subnormal and overflowing results included. A quotient
    // of two floats of one precision is a tie only where it is subnormal (3 * 2^-149 / 2 lies halfway); there the binary64
    // quotient is exact and Math.fround's ties to even is the right rounding. Ties in general are round_to_format.test.ts's.
    let subnormalOrZero = 0;
    let overflowed = 0;
    const finiteDouble = fc.double({ noNaN: true, noDefaultInfinity: true });
    checkProperty('binary64 quotient rounding vs hardware', fc.tuple(finiteDouble, finiteDouble.filter((y) => y !== 0)), ([x, y]) => {
      const [num, den] = exactValue(fromFloat64(x)).quotientTerms(exactValue(fromFloat64(y)));
      expect(describeValue(roundQuotientToFormat(num, den, BINARY64, Object.is(x / y, -0))), `${x} / ${y}`).toBe(describeValue(fromFloat64(x / y)));
    }, 1000);
    const finiteFloat = fc.float({ noNaN: true, noDefaultInfinity: true });
    checkProperty('binary32 quotient rounding vs hardware', fc.tuple(finiteFloat, finiteFloat.filter((y) => y !== 0)), ([x, y]) => {
      const [num, den] = exactValue(fromFloat32(x)).quotientTerms(exactValue(fromFloat32(y)));
      const want = Math.fround(x / y);
      expect(describeValue(roundQuotientToFormat(num, den, BINARY32, Object.is(want, -0))), `f32 ${x} / ${y}`).toBe(describeValue(fromFloat32(want)));
      if (Math.abs(want) < 2 ** -126) subnormalOrZero++;
      if (!Number.isFinite(want)) overflowed++;
    }, 1000);
    expect(subnormalOrZero).toBeGreaterThan(20);
    expect(overflowed).toBeGreaterThan(20);
  });
});
