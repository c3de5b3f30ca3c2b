import type { CaseRandom } from './random.js';
import { type CaseFactory, wireInt } from './builders.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Accumulators (shared with the TOSA requantize cases): typical conv sums, full int32, the extremes, and exact ties of the two roundings. */
export function drawAccumulators(r: CaseRandom, count: number, shift: number): number[] {
  const kind = r.pick(['typical', 'typical', 'wide', 'extremes', 'ties'] as const);
  return Array.from({ length: count }, () => {
    if (kind === 'wide') return r.int(INT32_MIN, INT32_MAX);
    if (kind === 'extremes' && r.bool(0.6)) return r.pick([INT32_MIN, INT32_MIN + 1, -1, 0, 1, INT32_MAX - 1, INT32_MAX]);
    // with the multiplier 2^30 (one half), odd multiples of 2^(right shift) sit exactly on a rounding tie
    if (kind === 'ties') return (2 * r.int(-5000, 5000) + 1) * 2 ** Math.min(Math.max(-shift, 0), 16);
    return Math.round(r.normal() * 2 ** r.int(4, 20));
  });
}

/**
 * requantize@1 (contract/requantize.ts) under TFLite's default double rounding: Q31 multipliers as
 * QuantizeMultiplier makes them ([2^30, 2^31)) and at the edges (0, 1, 2^31 - 1), shifts across [-31, 30]
 * (left shifts that wrap the int32 multiply), int8/uint8/int32 output ranges, relu-like clamps; a few
 * calls break a precondition (multiplier or shift out of range, output_min > output_max).
 */
export const requantizeCase: CaseFactory = (r) => {
  const u = r.next();
  const shift = u < 0.6 ? r.int(-14, 0) : u < 0.75 ? r.int(1, 30) : u < 0.9 ? r.int(-31, -15) : r.pick([-31, -1, 0, 1, 30]);
  const ties = r.bool(0.15);
  let multiplier = ties ? 2 ** 30 : r.bool(0.85) ? r.int(2 ** 30, INT32_MAX) : r.pick([0, 1, 2 ** 30, INT32_MAX, r.int(0, INT32_MAX)]);
  const count = r.pick([1, 3, 4, 8, 16, 37]);
  const acc = drawAccumulators(r, count, ties ? shift : 0);
  const range = r.pick([[-128, 127], [-128, 127], [0, 255], [INT32_MIN, INT32_MAX], [-32768, 32767]] as const);
  let zeroPoint = range[1] === INT32_MAX ? r.pick([0, r.int(-1000, 1000)]) : r.int(range[0], range[1]);
  let outputMin: number = range[0];
  let outputMax: number = range[1];
  if (r.bool(0.2)) outputMin = Math.max(outputMin, zeroPoint); // relu
  let badShift = shift;
  if (r.bool(0.03)) {
    const broken = r.int(0, 3);
    if (broken === 0) multiplier = r.pick([-1, -(2 ** 30), 2 ** 31]);
    if (broken === 1) badShift = r.pick([-32, 31, 40]);
    if (broken === 2) [outputMin, outputMax] = [outputMax, outputMin];
    if (broken === 3) zeroPoint = r.pick([2 ** 31, -(2 ** 31) - 1]);
  }
  return {
    op: 'requantize@1',
    attrs: { scheme: 'tflite-double-rounding@1', multiplier, shift: badShift, zero_point: zeroPoint, output_min: outputMin, output_max: outputMax },
    inputs: { acc: wireInt('int32', [count], acc) },
  };
};
