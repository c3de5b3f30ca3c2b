import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBits, encodeBits, fromFloat32, fromFloat64, toNumber } from '../../reference/exact/ieee_bits.js';
import { BINARY32, BINARY64, describe as describeValue } from '../../reference/exact/ieee_value.js';
import { Rational } from '../../reference/exact/rational.js';
import { roundToFormat } from '../../reference/exact/round_to_format.js';
import { float32BitsOf, float32FromBits, float64BitsOf } from '../../contract/float_bits.js';
import { rawFloat32, rawFloat64 } from '../arbitraries/float32.js';
import { checkProperty } from '../support/property.js';

const sameNumber = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

describe('IEEE bit decomposition', () => {
  it('binary32 decode then encode is the identity on every non-NaN bit pattern', () => {
    checkProperty('binary32 bits roundtrip', fc.integer({ min: 0, max: 0xffffffff }), (bits) => {
      const v = decodeBits(BigInt(bits), BINARY32);
      if (v.kind === 'nan') return;
      expect(encodeBits(v, BINARY32)).toBe(BigInt(bits));
    }, 2000);
  });

  it('binary64 decode then toNumber is the identity', () => {
    checkProperty('binary64 roundtrip', rawFloat64, (x) => {
      expect(sameNumber(toNumber(fromFloat64(x)), x)).toBe(true);
    }, 2000);
  });

  it('decodes the special patterns', () => {
    expect(describeValue(fromFloat32(-0))).toBe('-0');
    expect(describeValue(fromFloat32(float32FromBits(1)))).toBe(Rational.pow2(-149).toString());
    expect(describeValue(fromFloat32(NaN))).toBe('NaN');
    expect(describeValue(fromFloat32(-Infinity))).toBe('-inf');
  });
});

describe('roundToFormat (roundTiesToEven, subnormals, overflow, signed zero)', () => {
  it('rounding any double to binary32 agrees with Math.fround (the hardware conversion)', () => {
    checkProperty('f64 -> f32 vs Math.fround', rawFloat64.filter(Number.isFinite), (x) => {
      const v = roundToFormat(fromFloat64(x).kind === 'finite' ? (fromFloat64(x) as { value: Rational }).value : Rational.ZERO, BINARY32, Object.is(x, -0));
      expect(float32BitsOf(toNumber(v))).toBe(float32BitsOf(Math.fround(x)));
    }, 5000);
  });

  it('agrees with Math.fround on exact ties, one ulp around them, the subnormal range and the overflow threshold', () => {
    // midpoints between adjacent float32 values, built from the wanted outputs
    const midpointArb = fc.integer({ min: 0, max: 0x7f7ffffe }).chain((bits) =>
      fc.constantFrom(-1, 0, 1).map((nudge) => ({ bits, nudge })),
    );
    checkProperty('ties and near-ties', midpointArb, ({ bits, nudge }) => {
      const lo = decodeBits(BigInt(bits), BINARY32) as { value: Rational };
      const hi = decodeBits(BigInt(bits + 1), BINARY32) as { value: Rational };
      const mid = lo.value.add(hi.value).div(Rational.fromInt(2));
      const tiny = hi.value.sub(lo.value).div(Rational.fromInt(1n << 20n)) // small enough that the double holds r exactly;
      const r = nudge === 0 ? mid : nudge > 0 ? mid.add(tiny) : mid.sub(tiny);
      const asDouble = toNumber(roundToFormat(r, BINARY64)); // exact: mid needs only 25 bits
      expect(float32BitsOf(toNumber(roundToFormat(r, BINARY32)))).toBe(float32BitsOf(Math.fround(asDouble)));
      if (nudge === 0) {
        const even = (bits & 1) === 0 ? bits : bits + 1;
        expect(float32BitsOf(toNumber(roundToFormat(r, BINARY32)))).toBe(even);
      }
    }, 3000);
  });

  it('overflows to infinity exactly at the halfway point above FLT_MAX', () => {
    const max = (decodeBits(0x7f7fffffn, BINARY32) as { value: Rational }).value;
    const halfUlp = Rational.pow2(127 - 24);
    expect(describeValue(roundToFormat(max.add(halfUlp), BINARY32))).toBe('inf');
    expect(toNumber(roundToFormat(max.add(halfUlp).sub(Rational.pow2(-10)), BINARY32))).toBe(float32FromBits(0x7f7fffff));
    expect(describeValue(roundToFormat(max.add(halfUlp).neg(), BINARY32))).toBe('-inf');
  });

  it('keeps the sign of results that underflow to zero', () => {
    expect(Object.is(toNumber(roundToFormat(Rational.pow2(-151).neg(), BINARY32)), -0)).toBe(true);
    expect(toNumber(roundToFormat(Rational.pow2(-150), BINARY32))).toBe(0); // tie with 0: even
    expect(toNumber(roundToFormat(Rational.pow2(-150).add(Rational.pow2(-200)), BINARY32))).toBe(float32FromBits(1));
  });

  it('is exact on binary64 values (identity)', () => {
    checkProperty('binary64 identity', rawFloat64.filter(Number.isFinite), (x) => {
      const v = fromFloat64(x);
      if (v.kind !== 'finite') return;
      expect(float64BitsOf(toNumber(roundToFormat(v.value, BINARY64, v.negative)))).toBe(float64BitsOf(x));
    }, 2000);
  });

  it('binary32 value decode agrees with the hardware float32 view', () => {
    checkProperty('f32 decode', rawFloat32, (x) => {
      expect(sameNumber(toNumber(fromFloat32(x)), x)).toBe(true);
    }, 2000);
  });
});
