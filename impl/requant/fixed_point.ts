/**
 * Exact 64-bit fixed-point steps on doubles (no BigInt on the common path). Products x * m of an int32
 * x and a 31-bit multiplier reach 2^62, past the 2^53 of exact doubles, so they are split into 16-bit
 * halves of m whenever they could be inexact.
 */
const TWO_52 = 2 ** 52;
const TWO_16 = 65536;

/** POW2[k] = 2^k for k in [0, 63]: a table, because `2 ** k` with a variable k is a slow Math.pow call. */
export const POW2: Float64Array = Float64Array.from({ length: 64 }, (_, k) => 2 ** k);

/**
 * floor((x * m + c) / 2^s) exactly. x int with |x| <= 2^32, 0 <= m < 2^31, c an integer double with
 * |c| < 2^62, 1 <= s <= 62.
 * Small terms: the double sum is exact below 2^53. Otherwise, for s >= 16, with m = mh 2^16 + ml and
 * c = ch 2^16 + cl: x m + c = (x mh + ch) 2^16 + (x ml + cl), and
 * floor((A 2^16 + B) / 2^s) = floor((A + floor(B / 2^16)) / 2^(s-16)); every term stays below 2^50.
 * Large products with s < 16 (multipliers above 2^15) fall back to BigInt.
 */
export function mulAddShift(x: number, m: number, c: number, s: number): number {
  const p = x * m;
  if (Math.abs(p) < TWO_52 && Math.abs(c) < TWO_52) return Math.floor((p + c) / (POW2[s] as number));
  if (s < 16) return Number((BigInt(x) * BigInt(m) + BigInt(c)) >> BigInt(s));
  const mh = Math.floor(m / TWO_16);
  const ch = Math.floor(c / TWO_16);
  const high = x * mh + ch;
  const low = x * (m - mh * TWO_16) + (c - ch * TWO_16);
  return Math.floor((high + Math.floor(low / TWO_16)) / (POW2[s - 16] as number));
}

/** RHU(x * m, s) = floor((x m + 2^(s-1)) / 2^s): round half up (SQRDMULH, SRSHL, `(v + (1 << (s-1))) >> s`). */
export function mulShiftHalfUp(x: number, m: number, s: number): number {
  return mulAddShift(x, m, POW2[s - 1] as number, s);
}

/** RHAZ(v, n): round half away from zero of v / 2^n (gemmlowp RoundingDivideByPOT); |v| <= 2^32, 0 <= n <= 31. */
export function shiftHalfAway(v: number, n: number): number {
  if (n === 0) return v;
  const r = Math.floor((Math.abs(v) + (POW2[n - 1] as number)) / (POW2[n] as number));
  return v < 0 ? -r : r;
}

/** gemmlowp SaturatingRoundingDoublingHighMul(a, b) = RHU(a b, 31), INT32_MIN * INT32_MIN -> INT32_MAX; b >= 0 here. */
export function doublingHighMul(a: number, b: number): number {
  if (a === -2147483648 && b === -2147483648) return 2147483647;
  return mulShiftHalfUp(a, b, 31);
}

/** (v << k) as a wrapping int32 multiply (TFLite's `x * (1 << left_shift)`), 0 <= k <= 30. */
export function shiftLeftWrap(v: number, k: number): number {
  return Math.imul(v, POW2[k] as number) | 0;
}
