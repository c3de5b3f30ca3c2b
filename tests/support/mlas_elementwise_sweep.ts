/**
 * The checks an MLAS elementwise float32 kernel's tests share (logistic.cpp, tanh.cpp): the impl's float32 constants
 * are the float32 roundings of the reference's exact decimal literals, and the exact reference and the impl agree bit
 * for bit on a seeded sweep of float32 inputs.
 */
import { expect } from 'vitest';
import { CaseRandom } from '../../conformance/cases/random.js';
import { float32BitsOf } from '../../contract/float_bits.js';
import { fromFloat32, toNumber } from '../../reference/exact/ieee_bits.js';
import type { IeeeValue } from '../../reference/exact/ieee_value.js';

/** Every constant of `exact` (the reference's literals) has its float32 rounding, bit for bit, in `f32` (the impl's). */
export function expectFloat32Constants(f32: Readonly<Record<string, number>>, exact: Readonly<Record<string, IeeeValue>>): void {
  for (const [name, value] of Object.entries(exact)) expect(float32BitsOf(f32[name]!), name).toBe(float32BitsOf(toNumber(value)));
}

/** A kernel swept: its exact reference, its impl, and the impl's steps with every multiply-add rounded twice. */
export interface ElementwiseKernel {
  readonly exact: (x: IeeeValue) => IeeeValue;
  readonly fast: (x: number) => number;
  readonly unfused: (x: number) => number;
}

/**
 * `exact` and `fast` agree bit for bit (NaN for NaN) on `specials` and 4000 float32s seeded by `seed`, of magnitude
 * below 2^`maxExponent`; returns how many of the inputs `unfused` gives another float32 than `fast` for.
 */
export function sweepElementwiseKernel(k: ElementwiseKernel, seed: string, specials: readonly number[], maxExponent: number): number {
  const r = new CaseRandom(seed);
  const xs = [...specials];
  for (let i = 0; i < 4000; i++) xs.push(Math.fround((r.next() * 2 - 1) * 2 ** r.int(-12, maxExponent)));
  let fusedMatters = 0;
  for (const x of xs) {
    const exact = toNumber(k.exact(fromFloat32(x)));
    const fast = k.fast(x);
    if (Number.isNaN(exact)) expect(fast, `x = ${x}`).toBeNaN();
    else expect(float32BitsOf(fast), `x = ${x} (0x${float32BitsOf(x).toString(16)})`).toBe(float32BitsOf(exact));
    if (!Number.isNaN(fast) && fast !== k.unfused(x)) fusedMatters++;
  }
  return fusedMatters;
}
