import { Rational } from './rational.js';

/**
 * An IEEE 754 binary format, described by its precision p (significand bits, hidden bit included)
 * and exponent range. binary32 is C float / torch.float32, binary64 is C double / Python float.
 */
export interface FloatFormat {
  readonly name: 'binary32' | 'binary64';
  readonly precision: number;
  readonly emin: number;
  readonly emax: number;
  readonly exponentBits: number;
}

export const BINARY32: FloatFormat = { name: 'binary32', precision: 24, emin: -126, emax: 127, exponentBits: 8 };
export const BINARY64: FloatFormat = { name: 'binary64', precision: 53, emin: -1022, emax: 1023, exponentBits: 11 };

/**
 * A floating-point datum in the exact world. A finite value is an exact rational plus its sign bit
 * (which only carries information for zero); infinities keep their sign; NaN payloads are not modelled.
 */
export type IeeeValue =
  | { readonly kind: 'finite'; readonly value: Rational; readonly negative: boolean }
  | { readonly kind: 'infinity'; readonly negative: boolean }
  | { readonly kind: 'nan' };

export const NAN: IeeeValue = { kind: 'nan' };
export const POS_INF: IeeeValue = { kind: 'infinity', negative: false };
export const NEG_INF: IeeeValue = { kind: 'infinity', negative: true };
export const POS_ZERO: IeeeValue = { kind: 'finite', value: Rational.ZERO, negative: false };
export const NEG_ZERO: IeeeValue = { kind: 'finite', value: Rational.ZERO, negative: true };

export function infinity(negative: boolean): IeeeValue {
  return negative ? NEG_INF : POS_INF;
}

/** A finite value from an exact rational; for zero, `negativeZero` picks -0. */
export function finite(value: Rational, negativeZero = false): IeeeValue {
  return { kind: 'finite', value, negative: value.isZero() ? negativeZero : value.sign() < 0 };
}

export function isNaNValue(v: IeeeValue): boolean {
  return v.kind === 'nan';
}

/** The exact rational of a finite value; throws for NaN and infinities. */
export function exactValue(v: IeeeValue): Rational {
  if (v.kind !== 'finite') throw new RangeError(`exactValue: ${describe(v)} has no rational value`);
  return v.value;
}

export function describe(v: IeeeValue): string {
  if (v.kind === 'nan') return 'NaN';
  if (v.kind === 'infinity') return v.negative ? '-inf' : 'inf';
  return v.value.isZero() && v.negative ? '-0' : v.value.toString();
}
