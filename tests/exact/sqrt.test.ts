import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { float32BitsOf, float32FromBits } from '../../contract/float_bits.js';
import { f32Sqrt as fastSqrt } from '../../impl/float32.js';
import { f32Sqrt } from '../../reference/exact/float_arith.js';
import { fromFloat32, toNumber } from '../../reference/exact/ieee_bits.js';
import { exactValue } from '../../reference/exact/ieee_value.js';
import { Rational } from '../../reference/exact/rational.js';
import { anyFloat32 } from '../arbitraries/float32.js';
import { checkProperty } from '../support/property.js';

/**
 * The float32 square root (QEmbedLayerNormalization's sqrt): the exact reference (an integer root with a sticky half,
 * rounded once) and the fast impl (Math.fround(Math.sqrt)) agree bit for bit on raw bit patterns, specials included;
 * and the reference is correctly rounded: the midpoints between its root and the root's neighbours, squared, bracket
 * x exactly. Not vacuous: inexact roots and subnormal operands are counted.
 */
const exactOf = (x: number) => exactValue(fromFloat32(x));
const nextTo = (x: number, up: boolean) => float32FromBits(float32BitsOf(x) + (up ? 1 : -1));

describe('float32 square root: reference and impl agree, correctly rounded', () => {
  it('on raw bit patterns and specials', () => {
    checkProperty('sqrt agrees (any)', anyFloat32, (x) => {
      const exact = toNumber(f32Sqrt(fromFloat32(x)));
      const fast = fastSqrt(x);
      expect(Number.isNaN(fast)).toBe(Number.isNaN(exact));
      if (!Number.isNaN(exact)) expect(float32BitsOf(fast)).toBe(float32BitsOf(exact));
    }, 3000);
    expect(float32BitsOf(toNumber(f32Sqrt(fromFloat32(-1))))).toBe(0xffc00000);
    expect(Object.is(toNumber(f32Sqrt(fromFloat32(-0))), -0)).toBe(true);
    expect(toNumber(f32Sqrt(fromFloat32(Infinity)))).toBe(Infinity);
    for (const k of [1, 4, 9, 2 ** -148, 0.25, 1.5625, 2 ** 126]) expect(toNumber(f32Sqrt(fromFloat32(k)))).toBe(Math.sqrt(k));
  });

  it('rounds to nearest (the midpoints around the root bracket x), not vacuously', () => {
    const n = { inexact: 0, subnormal: 0 };
    const positiveFinite = fc.integer({ min: 1, max: 0x7f7fffff }).map(float32FromBits);
    checkProperty('sqrt is correctly rounded', positiveFinite, (x) => {
      const r = toNumber(f32Sqrt(fromFloat32(x)));
      const [xr, rr] = [exactOf(x), exactOf(r)];
      const half = Rational.of(1n, 2n);
      const lo = rr.add(exactOf(nextTo(r, false))).mul(half);
      const hi = rr.add(exactOf(nextTo(r, true))).mul(half);
      expect(lo.mul(lo).le(xr) && xr.le(hi.mul(hi))).toBe(true);
      if (!rr.mul(rr).eq(xr)) n.inexact++;
      if (x < 2 ** -126) n.subnormal++;
    }, 2000);
    expect(n.inexact).toBeGreaterThan(1500);
    expect(n.subnormal).toBeGreaterThan(0);
  });
});
