import fc from 'fast-check';
import { fraction } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { Rational, floorLog2 } from '../../reference/exact/rational.js';
import { checkProperty } from '../support/property.js';

const bigintArb = fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n });
const nonZero = bigintArb.filter((b) => b !== 0n);
const rationalArb = fc.tuple(bigintArb, nonZero).map(([n, d]) => ({ n, d, r: Rational.of(n, d) }));

/** mathjs fractions built from bigint numerator and denominator are exact: an independent oracle. */
function mathjsText(n: bigint, d: bigint, op: string, n2: bigint, d2: bigint): string {
  const a = fraction(n, d);
  const b = fraction(n2, d2);
  const r = op === '+' ? a.add(b) : op === '-' ? a.sub(b) : op === '*' ? a.mul(b) : a.div(b);
  const s = r.s < 0 ? -1n : 1n;
  return Rational.of(s * BigInt(r.n), BigInt(r.d)).toString();
}

describe('Rational (exact bigint arithmetic)', () => {
  it('agrees with mathjs bigint fractions on + - * /', () => {
    checkProperty('rational ops vs mathjs', fc.tuple(rationalArb, rationalArb, fc.constantFrom('+', '-', '*', '/')), ([a, b, op]) => {
      const ours = op === '+' ? a.r.add(b.r) : op === '-' ? a.r.sub(b.r) : op === '*' ? a.r.mul(b.r) : b.r.isZero() ? null : a.r.div(b.r);
      if (ours === null) return;
      expect(ours.toString()).toBe(mathjsText(a.n, a.d, op, b.n, b.d));
    });
  });

  it('floor and fraction decompose exactly', () => {
    checkProperty('floor/fraction', rationalArb, ({ r }) => {
      const f = r.floor();
      const frac = r.fraction();
      expect(Rational.fromInt(f).add(frac).eq(r)).toBe(true);
      expect(frac.sign() >= 0 && frac.lt(Rational.ONE)).toBe(true);
    });
  });

  it('floorLog2 brackets the value', () => {
    checkProperty('floorLog2', rationalArb.filter(({ r }) => !r.isZero()), ({ r }) => {
      const e = floorLog2(r);
      expect(Rational.pow2(e).le(r.abs())).toBe(true);
      expect(r.abs().lt(Rational.pow2(e + 1))).toBe(true);
    });
  });

  it('normalizes sign and common factors; refuses a zero denominator', () => {
    expect(Rational.of(6n, -4n).toString()).toBe('-3/2');
    expect(Rational.of(0n, -5n).eq(Rational.ZERO)).toBe(true);
    expect(() => Rational.of(1n, 0n)).toThrow(/zero denominator/);
  });
});
