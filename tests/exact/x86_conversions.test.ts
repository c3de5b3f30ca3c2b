import { describe, expect, it } from 'vitest';
import { fromFloat32 } from '../../reference/exact/ieee_bits.js';
import { toNumber } from '../../reference/exact/ieee_bits.js';
import { Rational } from '../../reference/exact/rational.js';
import { ROUNDING_MODES, roundRational } from '../../reference/exact/rounding.js';
import { INT32_MIN, INT64_MIN, cvtps2dq, lrintfToInt64, nearbyint, truncToInt32, truncToInt64, wrapInt32 } from '../../reference/exact/x86_conversions.js';

const half = (n: bigint) => Rational.of(n, 2n);

describe('roundRational: one rounding catalogue, modes named by direction', () => {
  // value -> expected per mode, on exact ties and off them
  const table: Array<[Rational, Record<(typeof ROUNDING_MODES)[number], bigint>]> = [
    [half(5n), { half_even: 2n, half_away_from_zero: 3n, half_toward_zero: 2n, half_toward_pos_inf: 3n, half_toward_neg_inf: 2n, floor: 2n, ceil: 3n, trunc: 2n }],
    [half(-5n), { half_even: -2n, half_away_from_zero: -3n, half_toward_zero: -2n, half_toward_pos_inf: -2n, half_toward_neg_inf: -3n, floor: -3n, ceil: -2n, trunc: -2n }],
    [half(3n), { half_even: 2n, half_away_from_zero: 2n, half_toward_zero: 1n, half_toward_pos_inf: 2n, half_toward_neg_inf: 1n, floor: 1n, ceil: 2n, trunc: 1n }],
    [Rational.of(-7n, 3n), { half_even: -2n, half_away_from_zero: -2n, half_toward_zero: -2n, half_toward_pos_inf: -2n, half_toward_neg_inf: -2n, floor: -3n, ceil: -2n, trunc: -2n }],
    [Rational.of(5n, 1n), { half_even: 5n, half_away_from_zero: 5n, half_toward_zero: 5n, half_toward_pos_inf: 5n, half_toward_neg_inf: 5n, floor: 5n, ceil: 5n, trunc: 5n }],
  ];
  for (const [value, expected] of table) {
    for (const mode of ROUNDING_MODES) {
      it(`${value} ${mode} -> ${expected[mode]}`, () => expect(roundRational(value, mode)).toBe(expected[mode]));
    }
  }
});

describe('x86 float -> integer conversions', () => {
  const f = (x: number) => fromFloat32(Math.fround(x));
  it('nearbyint is half-even and keeps -0', () => {
    expect(toNumber(nearbyint(f(2.5)))).toBe(2);
    expect(toNumber(nearbyint(f(-0.5)))).toBe(-0);
    expect(Object.is(toNumber(nearbyint(f(-0.4))), -0)).toBe(true);
  });
  it('cvtps2dq: half-even in range, INT32_MIN for NaN and out of range', () => {
    expect(cvtps2dq(f(-2.5))).toBe(-2n);
    expect(cvtps2dq(f(2147483520))).toBe(2147483520n);
    expect(cvtps2dq(f(2 ** 31))).toBe(INT32_MIN);
    expect(cvtps2dq(f(NaN))).toBe(INT32_MIN);
    expect(cvtps2dq(f(-(2 ** 31)))).toBe(INT32_MIN);
  });
  it('truncating conversions give the integer indefinite value out of range', () => {
    expect(truncToInt64(f(-2.9))).toBe(-2n);
    expect(truncToInt64(f(2 ** 63))).toBe(INT64_MIN);
    expect(truncToInt64(f(9.2e18))).toBe(BigInt(Math.fround(9.2e18)));
    expect(truncToInt64(f(Infinity))).toBe(INT64_MIN);
    expect(truncToInt32(f(2 ** 31))).toBe(INT32_MIN);
    expect(truncToInt32(f(-(2 ** 31)))).toBe(INT32_MIN);
    expect(lrintfToInt64(f(-1.5))).toBe(-2n);
  });
  it('int32 arithmetic wraps', () => {
    expect(wrapInt32(2n ** 31n)).toBe(INT32_MIN);
    expect(wrapInt32(0n - INT32_MIN)).toBe(INT32_MIN);
  });
});
