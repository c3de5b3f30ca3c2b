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
    if ((den & (den - 1n)) === 0n) {
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

  /** The largest integer <= this. */
  floor(): bigint {
    const q = this.num / this.den; // truncates toward zero
    return this.num < 0n && q * this.den !== this.num ? q - 1n : q;
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

/** Euclid's gcd on non-negative bigints. */
function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** floor(log2(|r|)) for r != 0, exactly. */
export function floorLog2(r: Rational): number {
  const a = r.abs();
  // estimate from bit lengths, then correct by at most one step
  let e = bitLength(a.num) - bitLength(a.den);
  if (a.cmp(Rational.pow2(e)) < 0) e -= 1;
  return e;
}

/** The number of bits of |n| (0 for 0), from its hexadecimal digits: integer only, no float arithmetic. */
export function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  const hex = (n < 0n ? -n : n).toString(16); // 4 bits a digit; the leading digit contributes 32 - clz32(digit)
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}
