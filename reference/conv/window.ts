import type { Conv2dArgs } from '../../contract/conv.js';
import type { ConvGeometry } from '../../contract/conv_checks.js';

/**
 * The taps of one output position: for each input channel of the group and each (kh, kw), the flat index
 * of the input element it reads, or -1 where it falls in the padding. Shared indexing (not arithmetic)
 * of the reference accumulators; ordered by tap (kh, kw), then input channel: the NHWC im2col K order
 * k = (kh KW + kw) Cg + icg of MLAS, in which consecutive input channels at one tap are adjacent (the pairs
 * vpmaddubsw sees).
 */
export interface Tap {
  /** index into x.data, or -1 for padding */
  readonly xIndex: number;
  /** index into weight.data */
  readonly wIndex: number;
  /** input channel within the group */
  readonly icg: number;
}

/** The taps of output (n, oc, oh, ow) in MLAS's NHWC im2col K order (kh, kw, then icg); index arithmetic only (JS integers, exact). */
export function windowTaps(a: Conv2dArgs, g: ConvGeometry, n: number, oc: number, oh: number, ow: number): Tap[] {
  const group = Math.floor(oc / g.ocg);
  const taps: Tap[] = [];
  for (let kh = 0; kh < g.kh; kh++) {
    for (let kw = 0; kw < g.kw; kw++) {
      const ih = oh * a.stride[0] - a.padding[0] + kh * a.dilation[0];
      const iw = ow * a.stride[1] - a.padding[1] + kw * a.dilation[1];
      const inside = ih >= 0 && ih < g.h && iw >= 0 && iw < g.w;
      for (let icg = 0; icg < g.icg; icg++) {
        const ic = group * g.icg + icg;
        taps.push({
          xIndex: inside ? ((n * g.c + ic) * g.h + ih) * g.w + iw : -1,
          wIndex: ((oc * g.icg + icg) * g.kh + kh) * g.kw + kw,
          icg,
        });
      }
    }
  }
  return taps;
}
