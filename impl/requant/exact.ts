/**
 * exact@1, fast twin of reference/requant/exact.ts. The textbook formula on exact rationals cannot be
 * done in doubles, so this side uses BigInt fractions too, with a double fast path: it is the one scheme
 * where the impl is not meant to be fast, only independent (its own arithmetic, no reference import).
 */
import { float64BitsOf } from '../../contract/float_bits.js';
import { clampInt } from '../float32.js';
import type { ChannelQuantF, RequantImpl } from './types.js';

/** A double as num / 2^k (num an integer bigint). */
function dyadic(x: number): { num: bigint; k: bigint } {
  const bits = float64BitsOf(x);
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = exp === 0 ? frac : frac | (1n << 52n);
  const e = (exp === 0 ? 1 : exp) - 1075;
  const sign = bits >> 63n ? -1n : 1n;
  return e >= 0 ? { num: sign * (mant << BigInt(e)), k: 0n } : { num: sign * mant, k: BigInt(-e) };
}

export interface ExactParamsF {
  /** z_y + (acc * A + bias) / D = (acc * A + B) / D exactly, D > 0 (before the rounding): B holds the bias and z_y D */
  readonly a: bigint;
  readonly b: bigint;
  readonly d: bigint;
  readonly c: ChannelQuantF;
}

function prepare(c: ChannelQuantF): ExactParamsF {
  const [x, w, y] = [dyadic(c.xScale), dyadic(c.wScale), dyadic(c.yScale)];
  // acc * x * w / y + bias / y; multiply through by 2^(kx + kw + kb) * y.num / 2^ky
  const bias = c.bias === null ? { num: 0n, k: 0n } : c.bias.kind === 'float32' ? dyadic(c.bias.value) : { num: BigInt(c.bias.value) * x.num * w.num, k: x.k + w.k };
  const k = x.k + w.k > bias.k ? x.k + w.k : bias.k;
  const a = x.num * w.num * (1n << (k - x.k - w.k)) * (1n << y.k);
  const d = y.num * (1n << k);
  // the output zero point joins the fraction before the rounding, as exact@1 defines it (see requantize)
  const b = bias.num * (1n << (k - bias.k)) * (1n << y.k) + BigInt(c.yZeroPoint) * d;
  return { a, b, d, c };
}

/**
 * round_half_even((acc A + B) / D), clamped, where B holds z_y D: the zero point is added before the rounding, as exact@1 defines it
 * (reference/requant/exact.ts). Added after it, an odd zero point moved every tie the other way (round(3.5) + 3 = 7,
 * round(6.5) = 6).
 */
function requantize(acc: number, p: ExactParamsF): number {
  const n = BigInt(acc) * p.a + p.b;
  let q = n / p.d;
  let r = n % p.d;
  if (r < 0n) {
    q -= 1n;
    r += p.d;
  }
  const twice = 2n * r;
  if (twice > p.d || (twice === p.d && q % 2n !== 0n)) q += 1n;
  return clampInt(Number(q), p.c.outMin, p.c.outMax);
}

export const requant__exact: RequantImpl<ExactParamsF> = { prepare, requantize };
