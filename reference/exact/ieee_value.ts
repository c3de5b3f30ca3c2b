import { Rational } from './rational.js';

/**
 * An IEEE 754 binary format, described by its precision p (significand bits, hidden bit included)
 * and exponent range. binary32 is C float / torch.float32, binary64 is C double / Python float, binary16 ONNX float16.
 */
export interface FloatFormat {
  readonly name: 'binary16' | 'binary32' | 'binary64';
  readonly precision: number;
  readonly emin: number;
  readonly emax: number;
  readonly exponentBits: number;
}

export const BINARY32: FloatFormat = { name: 'binary32', precision: 24, emin: -126, emax: 127, exponentBits: 8 };
export const BINARY64: FloatFormat = { name: 'binary64', precision: 53, emin: -1022, emax: 1023, exponentBits: 11 };
/** IEEE binary16: ONNX float16, onnxruntime's MLFloat16. */
export const BINARY16: FloatFormat = { name: 'binary16', precision: 11, emin: -14, emax: 15, exponentBits: 5 };

/**
 * A floating-point datum in the exact world. A finite value is an exact rational plus its sign bit
 * (which only carries information for zero); infinities keep their sign. A NaN keeps its sign and its
 * fraction bits, because x86 and torch make them visible: invalid operations give the negative "real
 * indefinite" NaN 0xffc00000, torch's scalar min/max return quiet_NaN() 0x7fc00000, its vectorized
 * ones an all-ones 0xffffffff. `fraction` is left-aligned in 52 bits (the binary64 layout, quiet bit = bit 51),
 * so a binary32 NaN widens and narrows as the hardware does (cvtss2sd / cvtsd2ss keep the top bits).
 */
export type IeeeValue =
  | { readonly kind: 'finite'; readonly value: Rational; readonly negative: boolean }
  | { readonly kind: 'infinity'; readonly negative: boolean }
  | { readonly kind: 'nan'; readonly negative: boolean; readonly fraction: bigint };

/** The quiet bit of a NaN's fraction in the 52-bit layout. */
export const QUIET_BIT = 1n << 51n;

export type NaNValue = Extract<IeeeValue, { kind: 'nan' }>;

/** A NaN with this sign and 52-bit left-aligned fraction (default: the quiet bit alone, as x86's quiet NaNs); a value, no arithmetic. */
export function nan(negative: boolean, fraction: bigint = QUIET_BIT): NaNValue {
  return { kind: 'nan', negative, fraction };
}

/** The quiet NaN x86 SSE/AVX produce for an invalid operation (0 * inf, inf - inf, 0 / 0): 0xffc00000. */
export const DEFAULT_NAN: IeeeValue = nan(true);
/** std::numeric_limits<float>::quiet_NaN(), what torch's scalar minimum/maximum return: 0x7fc00000. */
export const CANONICAL_QUIET_NAN: IeeeValue = nan(false);
/** All bits set (0xffffffff as binary32): torch's vectorized minimum/maximum OR the NaN mask into the result. */
export const ALL_ONES_NAN_F32: IeeeValue = nan(true, ((1n << 23n) - 1n) << 29n);

/** An arithmetic result from a NaN operand: the same NaN, quieted (x86 sets the quiet bit of a signaling NaN). */
export function quieted(v: NaNValue): NaNValue {
  return nan(v.negative, v.fraction | QUIET_BIT);
}
export const POS_INF: IeeeValue = { kind: 'infinity', negative: false };
export const NEG_INF: IeeeValue = { kind: 'infinity', negative: true };

/** The IEEE infinity of this sign (any format); a value, no arithmetic. */
export function infinity(negative: boolean): IeeeValue {
  return negative ? NEG_INF : POS_INF;
}

/** A finite value from an exact rational; for zero, `negativeZero` picks -0. */
export function finite(value: Rational, negativeZero = false): IeeeValue {
  return { kind: 'finite', value, negative: value.isZero() ? negativeZero : value.sign() < 0 };
}

/**
 * The exact integer n as a finite value, no rounding (for integers every format in use holds exactly, such as clamp
 * bounds outMin - zp; a conversion that rounds is float_arith.ts intToF32 / intToF64). Exact domain.
 */
export function exactInteger(n: bigint): IeeeValue {
  return finite(Rational.fromInt(n));
}

/** std::isnan: true for any NaN (sign and payload ignored); no arithmetic. */
export function isNaNValue(v: IeeeValue): boolean {
  return v.kind === 'nan';
}

/** The exact rational of a finite value; throws for NaN and infinities. */
export function exactValue(v: IeeeValue): Rational {
  if (v.kind !== 'finite') throw new RangeError(`exactValue: ${describe(v)} has no rational value`);
  return v.value;
}

/** A short text of a value for error messages (NaN, +-inf, -0, or the exact rational); not a conversion. */
export function describe(v: IeeeValue): string {
  if (v.kind === 'nan') return 'NaN';
  if (v.kind === 'infinity') return v.negative ? '-inf' : 'inf';
  return v.value.isZero() && v.negative ? '-0' : v.value.toString();
}
