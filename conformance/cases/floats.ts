import { float32BitsOf, float32FromBits } from '../../contract/float_bits.js';
import type { CaseRandom } from './random.js';

/** Float32 values for case generation: raw bit patterns, specials, distributions, constructed ties. */

export const F32_SPECIALS: readonly number[] = [
  NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  float32FromBits(0x00000001), // smallest subnormal
  float32FromBits(0x807fffff), // largest negative subnormal
  float32FromBits(0x00800000), // smallest normal
  float32FromBits(0x7f7fffff), // largest finite
  -float32FromBits(0x7f7fffff),
  2 ** 24,
  2 ** 24 + 2,
  Math.fround(1e30),
  Math.fround(-1e30),
  Math.fround(3e9),
  Math.fround(9.2e18),
  Math.fround(9.3e18),
  2 ** 63,
  0.5,
  -0.5,
  1.5,
  2.5,
];

/** The float32 next to x in the direction of `up` (x finite). */
export function nextF32(x: number, up: boolean): number {
  if (x === 0) return up ? float32FromBits(1) : float32FromBits(0x80000001);
  const bits = float32BitsOf(x);
  const away = x > 0 === up;
  return float32FromBits(away ? bits + 1 : bits - 1);
}

export function rawF32(r: CaseRandom): number {
  return float32FromBits(r.uint32());
}

/** One float32 from a mix of distributions chosen per case. */
export type FloatStyle = 'normal' | 'uniform' | 'skewed' | 'raw_bits' | 'specials' | 'integers' | 'tiny' | 'huge';
export const FLOAT_STYLES: readonly FloatStyle[] = ['normal', 'uniform', 'skewed', 'raw_bits', 'specials', 'integers', 'tiny', 'huge'];

export function drawF32(r: CaseRandom, style: FloatStyle, spread: number): number {
  switch (style) {
    case 'normal':
      return Math.fround(r.normal() * spread);
    case 'uniform':
      return Math.fround((r.next() * 2 - 1) * spread);
    case 'skewed':
      return Math.fround(Math.exp(r.normal() * 2) * spread * (r.bool(0.2) ? -1 : 1));
    case 'raw_bits':
      return rawF32(r);
    case 'specials':
      return r.bool(0.5) ? r.pick(F32_SPECIALS) : Math.fround(r.normal() * spread);
    case 'integers':
      return r.int(-300, 300);
    case 'tiny':
      return Math.fround(r.normal() * 1e-30);
    case 'huge':
      return Math.fround(r.normal() * 1e30);
  }
}

export function drawF32Array(r: CaseRandom, n: number, style: FloatStyle, spread: number): number[] {
  return Array.from({ length: n }, () => drawF32(r, style, spread));
}

/** A float32 scale of a plausible magnitude (observer-made scales are float32 values). */
export function drawScale(r: CaseRandom): number {
  const kind = r.int(0, 9);
  if (kind === 0) return 2 ** r.int(-12, 4); // power of two: exact reciprocals
  if (kind === 1) return r.pick([1, 0.1, 0.5, 1 / 3, 1e-3, 255, 1e-8, 1e5]);
  if (kind === 2) return r.next() * 0.1 + 1e-6; // double, not a float32 value (torch rounds it)
  return Math.fround(Math.exp(r.normal() * 2.5 - 3));
}

/**
 * Inputs built from wanted outputs: x such that f32(x * f32(1/f32(scale))) lands exactly on k + 1/2
 * when possible, or one ulp away from it, so rounding ties and near-ties are exercised on purpose.
 */
export function drawTieInput(r: CaseRandom, scale: number, k: number): number {
  const inv = Math.fround(1 / Math.fround(scale));
  const target = k + 0.5;
  let x = Math.fround(target / inv);
  // walk to the float whose product is closest to the tie
  for (let i = 0; i < 4 && Math.fround(x * inv) !== target; i++) x = nextF32(x, Math.fround(x * inv) < target);
  const offset = r.int(-1, 1);
  return offset === 0 || !Number.isFinite(x) ? x : nextF32(x, offset > 0);
}

/**
 * drawTieInput for a float32 DIVISION (ONNX QuantizeLinear): x such that f32(x / scale) lands exactly on k + 1/2
 * when possible, or one ulp away from it.
 */
export function drawDivisionTieInput(r: CaseRandom, scale: number, k: number): number {
  const target = k + 0.5;
  let x = Math.fround(target * scale);
  for (let i = 0; i < 4 && Math.fround(x / scale) !== target; i++) x = nextF32(x, Math.fround(x / scale) < target);
  const offset = r.int(-1, 1);
  return offset === 0 || !Number.isFinite(x) ? x : nextF32(x, offset > 0);
}
