import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { f32Add, f32Div, f32Mul, f32Sub, intToF32, toF32 } from '../../reference/exact/float_arith.js';
import { fromFloat32, fromFloat64, toNumber } from '../../reference/exact/ieee_bits.js';
import { float32BitsOf } from '../../contract/float_bits.js';
import { anyFloat32, rawFloat64 } from '../arbitraries/float32.js';
import { checkProperty } from '../support/property.js';

/**
 * The exact float32 operations against the machine: for +, -, *, / a binary64 result rounded to binary32
 * equals the correctly rounded binary32 result (53 >= 2*24 + 2), so Math.fround(a op b) is an independent
 * oracle. NaN results compare as NaN (payloads are not modelled).
 */
function bitsOrNaN(x: number): number | 'NaN' {
  return Number.isNaN(x) ? 'NaN' : float32BitsOf(x);
}

const OPS = [
  ['+', f32Add, (a: number, b: number) => a + b],
  ['-', f32Sub, (a: number, b: number) => a - b],
  ['*', f32Mul, (a: number, b: number) => a * b],
  ['/', f32Div, (a: number, b: number) => a / b],
] as const;

describe('float32 arithmetic (exact, rounded once)', () => {
  for (const [name, exact, machine] of OPS) {
    it(`a ${name} b matches the hardware on raw bit patterns, specials and ordinary values`, () => {
      let nonTrivial = 0;
      checkProperty(`f32 ${name}`, fc.tuple(anyFloat32, anyFloat32), ([a, b]) => {
        const got = toNumber(exact(fromFloat32(a), fromFloat32(b)));
        const want = Math.fround(machine(a, b));
        if (Number.isFinite(want) && want !== 0) nonTrivial++;
        expect(bitsOrNaN(got)).toBe(bitsOrNaN(want));
      }, 3000);
      expect(nonTrivial).toBeGreaterThan(400); // not vacuous: a good share of results are finite and non-zero
    });
  }

  it('double -> float conversion matches Math.fround', () => {
    checkProperty('toF32', rawFloat64, (x) => {
      expect(bitsOrNaN(toNumber(toF32(fromFloat64(x))))).toBe(bitsOrNaN(Math.fround(x)));
    }, 3000);
  });

  it('int -> float rounds half to even above 2^24', () => {
    expect(toNumber(intToF32(16777217n))).toBe(16777216);
    expect(toNumber(intToF32(16777219n))).toBe(16777220);
    expect(toNumber(intToF32(2n ** 31n - 1n))).toBe(2 ** 31);
    checkProperty('intToF32', fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }), (n) => {
      expect(toNumber(intToF32(n))).toBe(Math.fround(Number(n)));
    });
  });

  it('signed zeros follow IEEE roundTiesToEven', () => {
    expect(Object.is(toNumber(f32Add(fromFloat32(-0), fromFloat32(-0))), -0)).toBe(true);
    expect(Object.is(toNumber(f32Add(fromFloat32(1), fromFloat32(-1))), 0)).toBe(true);
    expect(Object.is(toNumber(f32Mul(fromFloat32(-0), fromFloat32(5))), -0)).toBe(true);
    expect(Number.isNaN(toNumber(f32Mul(fromFloat32(0), fromFloat32(Infinity))))).toBe(true);
  });
});
