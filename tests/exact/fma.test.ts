import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { float32BitsOf } from '../../contract/float_bits.js';
import { f32Fma as fastFma } from '../../impl/float32.js';
import { f32Fma } from '../../reference/exact/float_arith.js';
import { fromFloat32, toNumber } from '../../reference/exact/ieee_bits.js';
import { anyFloat32 } from '../arbitraries/float32.js';
import { checkProperty } from '../support/property.js';

/**
 * The float32 fused multiply-add (QLinearAdd's vfmadd): the exact reference (one rounding of a * b + c on
 * rationals) and the fast impl (binary64 sum with a TwoSum correction of the double rounding) agree bit for bit,
 * on raw bit patterns and on constructed cases whose binary64 sum falls exactly on a float32 midpoint while the
 * exact sum does not (where Math.fround(a * b + c) is wrong). Not vacuous: such cases are counted.
 */
const bits = (x: number) => (Number.isNaN(x) ? 'NaN' : float32BitsOf(x));

/**
 * (a, b, c) with c = m 2^e (m in [2^23, 2^24): ulp 2^e) and a b = 2^(e-1) (1 - 2^-46), just below half an ulp of c:
 * binary64 rounds c + a b onto the float32 midpoint c + 2^(e-1), whose tie-to-even rounding is wrong for odd m.
 * Signs are mirrored at random.
 */
const midpointCase = fc.tuple(fc.integer({ min: 1 << 23, max: (1 << 24) - 1 }), fc.integer({ min: -20, max: 20 }), fc.boolean()).map(([m, e, negative]) => {
  const sign = negative ? -1 : 1;
  const c = sign * Math.fround(m * 2 ** e);
  const a = sign * Math.fround(2 ** (e - 1) * (1 + 2 ** -23));
  const b = Math.fround(1 - 2 ** -23);
  return [a, b, c] as const;
});

describe('float32 fused multiply-add: reference and impl agree', () => {
  it('on raw bit patterns, specials and ordinary values', () => {
    checkProperty('fma agrees (any)', fc.tuple(anyFloat32, anyFloat32, anyFloat32), ([a, b, c]) => {
      expect(bits(fastFma(a, b, c))).toBe(bits(toNumber(f32Fma(fromFloat32(a), fromFloat32(b), fromFloat32(c)))));
    }, 3000);
  });

  it('on sums that binary64 rounds onto a float32 midpoint, not vacuously', () => {
    let naiveWrong = 0;
    checkProperty('fma agrees (midpoints)', midpointCase, ([a, b, c]) => {
      const exact = toNumber(f32Fma(fromFloat32(a), fromFloat32(b), fromFloat32(c)));
      expect(bits(fastFma(a, b, c))).toBe(bits(exact));
      if (bits(Math.fround(a * b + c)) !== bits(exact)) naiveWrong++;
    }, 500);
    expect(naiveWrong).toBeGreaterThan(50);
  });
});
