/**
 * conv2d__sat16_pairs: the vpmaddubsw accumulator (contract/conv.ts `sat16_pairs`), fast twin of
 * reference/conv/sat16_pairs_accumulator.ts: per valid tap, raw u8 x s8 products of input-channel
 * pairs (2k, 2k+1) summed with int16 saturation, zero-point terms exact. A straightforward loop: this
 * model exists to be compared, not to be fast.
 */
import type { Conv2dArgs } from '../../contract/conv.js';
import type { ConvGeometry } from '../../contract/conv_checks.js';
import { sat16 } from '../requant/output.js';

/**
 * How one output's parts become its accumulator: s the saturated pair sum, sumW / sumX / count over the
 * valid taps, zxu and zw the unsigned operand's and the channel's weight zero point.
 */
export type Sat16Combine = (s: number, sumW: number, sumX: number, count: number, zxu: number, zw: number) => number;

/** sat16_pairs: zero-point terms exact (every term stays far below 2^53, so doubles are exact). */
const exactZeroPointTerms: Sat16Combine = (s, sumW, sumX, count, zxu, zw) => s - zxu * sumW - zw * sumX + count * zxu * zw;

export function conv2d__sat16_pairs(a: Conv2dArgs, g: ConvGeometry, combine: Sat16Combine = exactZeroPointTerms): Float64Array {
  const out = new Float64Array(g.n * g.oc * g.oh * g.ow);
  const shift = g.dtype === 'qint8' ? 128 : 0;
  const zxu = a.xZeroPoint + shift;
  const x = a.x.data;
  const w = a.weight.data;
  let k = 0;
  for (let n = 0; n < g.n; n++) {
    for (let oc = 0; oc < g.oc; oc++) {
      const zw = a.weightZeroPoints.data[g.perChannel ? oc : 0] as number;
      const icBase = Math.floor(oc / g.ocg) * g.icg;
      for (let oh = 0; oh < g.oh; oh++) {
        for (let ow = 0; ow < g.ow; ow++) {
          let s = 0;
          let sumW = 0;
          let sumX = 0;
          let count = 0;
          for (let kh = 0; kh < g.kh; kh++) {
            const ih = oh * a.stride[0] - a.padding[0] + kh * a.dilation[0];
            if (ih < 0 || ih >= g.h) continue;
            for (let kw = 0; kw < g.kw; kw++) {
              const iw = ow * a.stride[1] - a.padding[1] + kw * a.dilation[1];
              if (iw < 0 || iw >= g.w) continue;
              let pair = 0;
              for (let icg = 0; icg < g.icg; icg++) {
                const xu = (x[((n * g.c + icBase + icg) * g.h + ih) * g.w + iw] as number) + shift;
                const wv = w[((oc * g.icg + icg) * g.kh + kh) * g.kw + kw] as number;
                pair += xu * wv;
                sumW += wv;
                sumX += xu;
                count++;
                if (icg % 2 === 1 || icg === g.icg - 1) {
                  s += sat16(pair);
                  pair = 0;
                }
              }
            }
          }
          out[k++] = combine(s, sumW, sumX, count, zxu, zw);
        }
      }
    }
  }
  return out;
}
