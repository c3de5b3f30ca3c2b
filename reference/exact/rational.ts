/**
 * Exact rational numbers over bigint: the arithmetic domain of the whole reference.
 *
 * Every value is kept normalized (gcd(num, den) = 1, den > 0), so equality is structural.
 * Floats never enter here as JS numbers: see ieee_bits.ts, which builds rationals from the bits.
 *
 * Why not mathjs' Fraction: the reference needs only + - * / compare floor and powers of two, on
 * values whose denominators are powers of two almost everywhere; a 100-line bigint type keeps every
 * step visible and avoids the number-based constructors that silently approximate. mathjs fractions
 * built from bigint numerator/denominator are used in tests as an independent cross-check.
 */
export class Rational {
  private constructor(
    readonly num: bigint,
    readonly den: bigint,
  ) {}

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);

  /** num/den, normalized. Throws on a zero denominator. */
  static of(num: bigint, den: bigint = 1n): Rational {
    if (den === 0n) throw new RangeError('Rational: zero denominator');
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    if (den === 1n) return new Rational(num, 1n);
    if (isPowerOfTwo(den)) {
      // den = 2^k (almost every float value): the gcd is the lowest set bit of num, capped at den
      if (num === 0n) return new Rational(0n, 1n);
      const lowBit = num & -num;
      const p = lowBit < den ? lowBit : den;
      return p === 1n ? new Rational(num, den) : new Rational(num / p, den / p);
    }
    const g = gcd(num < 0n ? -num : num, den);
    return g === 1n ? new Rational(num, den) : new Rational(num / g, den / g);
  }

  static fromInt(n: bigint | number): Rational {
    return new Rational(BigInt(n), 1n);
  }

  /** 2^k for any integer k. */
  static pow2(k: number): Rational {
    return k >= 0 ? new Rational(1n << BigInt(k), 1n) : new Rational(1n, 1n << BigInt(-k));
  }

  /** this + o, exact. */
  add(o: Rational): Rational {
    if (this.den === o.den) return Rational.of(this.num + o.num, this.den);
    if (isPowerOfTwo(this.den) && isPowerOfTwo(o.den)) {
      // floats: the larger denominator is a multiple of the other, and the common one
      return this.den > o.den ? Rational.of(this.num + o.num * (this.den / o.den), this.den) : Rational.of(this.num * (o.den / this.den) + o.num, o.den);
    }
    return Rational.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }

  /** this - o, exact. */
  sub(o: Rational): Rational {
    return this.add(o.neg());
  }

  /** this * o, exact. */
  mul(o: Rational): Rational {
    return Rational.of(this.num * o.num, this.den * o.den);
  }

  /** this / o, exact; throws on o = 0. */
  div(o: Rational): Rational {
    if (o.num === 0n) throw new RangeError('Rational: division by zero');
    return Rational.of(this.num * o.den, this.den * o.num);
  }

  /**
   * The terms [n, d] of this / o with d > 0, not reduced (no gcd): for a rounding of the quotient
   * (roundQuotient, roundQuotientToFormat), which does not need the reduced form. Throws on o = 0.
   */
  quotientTerms(o: Rational): readonly [bigint, bigint] {
    if (o.num === 0n) throw new RangeError('Rational: division by zero');
    return o.num < 0n ? [-this.num * o.den, this.den * -o.num] : [this.num * o.den, this.den * o.num];
  }

  /** -this, exact. */
  neg(): Rational {
    return new Rational(-this.num, this.den);
  }

  /** |this|, exact. */
  abs(): Rational {
    return this.num < 0n ? this.neg() : this;
  }

  /** The sign: -1, 0 or 1. */
  sign(): -1 | 0 | 1 {
    return this.num < 0n ? -1 : this.num > 0n ? 1 : 0;
  }

  /** this == 0. */
  isZero(): boolean {
    return this.num === 0n;
  }

  /** Whether this is an integer (den = 1, the value being normalized). */
  isInteger(): boolean {
    return this.den === 1n;
  }

  /** -1, 0 or 1 as this <, =, > o. */
  cmp(o: Rational): -1 | 0 | 1 {
    const d = this.num * o.den - o.num * this.den;
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }

  /** this == o (structural: both are normalized). */
  eq(o: Rational): boolean {
    return this.num === o.num && this.den === o.den;
  }

  /** this < o. */
  lt(o: Rational): boolean {
    return this.cmp(o) < 0;
  }

  /** this <= o. */
  le(o: Rational): boolean {
    return this.cmp(o) <= 0;
  }

  /** The largest integer <= this (floorDivision's quotient). */
  floor(): bigint {
    return floorDivision(this.num, this.den)[0];
  }

  /** this - floor(this), in [0, 1). */
  fraction(): Rational {
    return this.sub(Rational.fromInt(this.floor()));
  }

  /** `num` or `num/den`, for messages. */
  toString(): string {
    return this.den === 1n ? `${this.num}` : `${this.num}/${this.den}`;
  }
}

/**
 * [floor(num / den), num - floor(num / den) * den] for den > 0, the remainder in [0, den): the reference's one integer
 * division (Rational.floor, and rounding.ts roundQuotient for every mode). The terms need not be reduced.
 */
export function floorDivision(num: bigint, den: bigint): readonly [bigint, bigint] {
  if (den <= 0n) throw new RangeError('floorDivision: the denominator must be positive');
  const q = num / den; // truncates toward zero
  const rem = num - q * den;
  return rem < 0n ? [q - 1n, rem + den] : [q, rem];
}

/** d = 2^k for some k >= 0 (d > 0). */
const isPowerOfTwo = (d: bigint) => (d & (d - 1n)) === 0n;

/** Euclid's gcd on non-negative bigints. */
function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** floor(log2(|r|)) for r != 0, exactly. */
export function floorLog2(r: Rational): number {
  return floorLog2Quotient(r.num < 0n ? -r.num : r.num, r.den);
}

/** floor(log2(num / den)) for num, den > 0 (the terms need not be reduced), exactly. */
export function floorLog2Quotient(num: bigint, den: bigint): number {
  if (num <= 0n || den <= 0n) throw new RangeError('floorLog2Quotient: num and den must be positive');
  // estimate from bit lengths, then correct by at most one step: num / den < 2^e iff num < den * 2^e
  const e = bitLength(num) - bitLength(den);
  const below = e >= 0 ? num < den << BigInt(e) : num << BigInt(-e) < den;
  return below ? e - 1 : e;
}

/** The number of bits of |n| (0 for 0): integer comparisons with cached powers of two, no float arithmetic. */
export function bitLength(n: bigint): number {
  const a = n < 0n ? -n : n;
  if (a < POW2_32) return 32 - Math.clz32(Number(a)); // an integer below 2^32: Number() is exact, clz32 counts its bits
  let hi = 64; // doubled until a < 2^hi
  while (a >= pow2Cached(hi)) hi *= 2;
  let lo = hi / 2; // a >= 2^lo: bisect to the smallest hi with a < 2^hi
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (a >= pow2Cached(mid)) lo = mid;
    else hi = mid;
  }
  return hi;
}

const POW2_32 = 1n << 32n;
const POW2_CACHE: bigint[] = [];

/** 2^k as a bigint, cached: bitLength compares with the same powers again and again. */
function pow2Cached(k: number): bigint {
  let p = POW2_CACHE[k];
  if (p === undefined) POW2_CACHE[k] = p = 1n << BigInt(k);
  return p;
}
