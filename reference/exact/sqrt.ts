/** Correctly rounded float32 square roots of positive integers (sqrtf, or a double sqrt rounded to float32: the same). */
import { BINARY32, type IeeeValue, finite } from './ieee_value.js';
import { Rational } from './rational.js';

/** floor(sqrt(n)) for n >= 0, by Newton's method on bigints. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n)))) + 1n;
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

/**
 * sqrtf(n) for an integer 1 <= n < 2^46 (so sqrt(n) < 2^23 and M has 24 bits at some s >= 0): the float32 M * 2^-s nearest sqrt(n), M of 24 bits. M is floor(sqrt(n 4^s))
 * or one more; sqrt(n 4^s) > M + 1/2 iff 4 n 4^s > (2M + 1)^2 (never equal: the right side is odd).
 */
export function f32SqrtOfInteger(n: bigint): IeeeValue {
  if (n < 1n || n >= 1n << 46n) throw new RangeError(`f32SqrtOfInteger: ${n} outside [1, 2^46)`);
  const p = BigInt(BINARY32.precision);
  let s = 0n;
  while (isqrt(n << (2n * s)) < 1n << (p - 1n)) s++;
  let m = isqrt(n << (2n * s));
  if (4n * (n << (2n * s)) > (2n * m + 1n) ** 2n) m++;
  return finite(Rational.of(m, 1n << s));
}
