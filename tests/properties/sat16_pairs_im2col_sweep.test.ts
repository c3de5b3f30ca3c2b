/**
 * The pair primitive of `sat16_pairs_im2col` (one vpmaddubsw lane followed by the exact zero-point terms),
 * swept against a plain bigint definition written here:
 *   acc = wrap32( sat16(a0 w0 + a1 w1) - z_w (a0 + a1) - z_x (w0 + w1) + 2 z_x z_w ).
 * Why not conv_requant_proof.test.ts's breakpoint proof: that proof covers requantization over every int32
 * accumulator, so it already covers whatever this accumulator produces; what is new here is the accumulator.
 * Its only non-ring step is the int16 saturation of one pair sum, which depends on (a0, w0, a1, w1) in u8 x s8
 * x u8 x s8: 2^32 lanes, too many for a test. The sweep is exhaustive over the first product (all 65,536
 * (a0, w0)) against 36 partners (a1, w1) whose products reach both saturation bounds from every side, so every
 * first-product value meets sums just below, at and beyond +32767 and -32768 (counted, asserted); and
 * exhaustive over all (a, w) for the lone last element of an odd K, which must never saturate. The impl runs
 * every lane; the reference accumulator runs a strided 1/61 of them (it is bigint per product).
 */
import { describe, expect, it } from 'vitest';
import type { Conv2dArgs } from '../../contract/conv.js';
import { checkConv2d } from '../../contract/conv_checks.js';
import { intTensor } from '../../contract/tensor.js';
import { conv2d__sat16_pairs_im2col } from '../../impl/conv/sat16_pairs_im2col.js';
import { sat16PairsIm2colAccumulator } from '../../reference/conv/sat16_pairs_im2col_accumulator.js';
import { windowTaps } from '../../reference/conv/window.js';
import { convArgs } from '../support/conv_args.js';

const PARTNER_A = [0, 1, 128, 200, 254, 255];
const PARTNER_W = [-128, -127, -1, 0, 1, 127];
const S8 = Array.from({ length: 256 }, (_, i) => i - 128);

const sat16 = (v: bigint) => (v > 32767n ? 32767n : v < -32768n ? -32768n : v);

/** A 1x1 conv over [1, C, H, W] with weights [OC, C, 1, 1]: each output is one lane (one row of K = C). */
function conv(c: number, h: number, w: number, x: number[], weight: number[], zx: number, zw: number): Conv2dArgs {
  return convArgs({ x: intTensor('quint8', [1, c, h, w], x), weight: intTensor('qint8', [weight.length / c, c, 1, 1], weight), xZeroPoint: zx, weightZeroPoint: zw });
}

describe('sat16_pairs_im2col: the pair primitive, swept', () => {
  for (const [zx, zw] of [[0, 0], [131, -3], [255, 127]] as const) {
    it(`every (a0, w0) against 36 partners (a1, w1), z_x ${zx}, z_w ${zw}: impl on all, reference on 1/61, both equal the definition`, () => {
      // x: channel 0 holds a0 = ih (all 256 values), channel 1 holds the partner a1 of column iw
      const [h, w] = [256, PARTNER_A.length];
      const x = [...Array.from({ length: h * w }, (_, i) => Math.floor(i / w)), ...Array.from({ length: h * w }, (_, i) => PARTNER_A[i % w] as number)];
      // weights: output channel o = i0 * |W1| + j holds (w0, w1) = (S8[i0], PARTNER_W[j])
      const weight = S8.flatMap((w0) => PARTNER_W.flatMap((w1) => [w0, w1]));
      const a = conv(2, h, w, x, weight, zx, zw);
      const g = checkConv2d(a);
      const acc = conv2d__sat16_pairs_im2col(a, g);
      let lanes = 0;
      let referenceLanes = 0;
      const seen = { aboveMax: 0, atMax: 0, justBelowMax: 0, belowMin: 0, atMin: 0, justAboveMin: 0 };
      for (let o = 0; o < g.oc; o++) {
        const [w0, w1] = [BigInt(weight[2 * o] as number), BigInt(weight[2 * o + 1] as number)];
        for (let i = 0; i < h * w; i++) {
          const [a0, a1] = [BigInt(Math.floor(i / w)), BigInt(PARTNER_A[i % w] as number)];
          const p = a0 * w0 + a1 * w1;
          const expected = BigInt.asIntN(32, sat16(p) - BigInt(zw) * (a0 + a1) - BigInt(zx) * (w0 + w1) + 2n * BigInt(zx) * BigInt(zw));
          const got = (acc[o * h * w + i] as number) | 0;
          if (BigInt(got) !== expected) throw new Error(`impl lane a0=${a0} w0=${w0} a1=${a1} w1=${w1}: ${got} != ${expected}`);
          if ((o * h * w + i) % 61 === 0) {
            const ref = BigInt.asIntN(32, sat16PairsIm2colAccumulator(a, g, o, windowTaps(a, g, 0, o, Math.floor(i / w), i % w)));
            if (ref !== expected) throw new Error(`reference lane a0=${a0} w0=${w0} a1=${a1} w1=${w1}: ${ref} != ${expected}`);
            referenceLanes++;
          }
          lanes++;
          if (p > 32767n) seen.aboveMax++;
          if (p === 32767n) seen.atMax++;
          if (p === 32766n) seen.justBelowMax++;
          if (p < -32768n) seen.belowMin++;
          if (p === -32768n) seen.atMin++;
          if (p === -32767n) seen.justAboveMin++;
        }
      }
      expect(lanes).toBe(65536 * 36);
      expect(referenceLanes).toBeGreaterThan(38000);
      for (const [what, n] of Object.entries(seen)) expect(n, what).toBeGreaterThan(0);
    });
  }

  it('the lone last element of an odd K (every (a, w), z_x 77, z_w -9) is exact: |u8 x s8| <= 32640 never saturates', () => {
    const x = Array.from({ length: 256 }, (_, i) => i);
    const a = conv(1, 256, 1, x, S8, 77, -9);
    const g = checkConv2d(a);
    const acc = conv2d__sat16_pairs_im2col(a, g);
    let lanes = 0;
    for (let o = 0; o < 256; o++) {
      for (let i = 0; i < 256; i++) {
        const expected = BigInt.asIntN(32, BigInt((i - 77) * ((S8[o] as number) + 9)));
        const got = BigInt((acc[o * 256 + i] as number) | 0);
        if (got !== expected) throw new Error(`impl lane a=${i} w=${S8[o]}: ${got} != ${expected}`);
        const ref = i % 17 === 0 ? BigInt.asIntN(32, sat16PairsIm2colAccumulator(a, g, o, windowTaps(a, g, 0, o, i, 0))) : expected;
        if (ref !== expected) throw new Error(`reference lane a=${i} w=${S8[o]}: ${ref} != ${expected}`);
        lanes++;
      }
    }
    expect(lanes).toBe(65536);
  });
});
