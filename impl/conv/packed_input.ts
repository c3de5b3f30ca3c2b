import type { Conv2dArgs } from '../../contract/conv.js';
import type { ConvGeometry } from '../../contract/conv_checks.js';

/**
 * One batch element's input, centered (x - z_x) and padded with zeros: [C][HP][WP] as doubles, HP = H + 2 ph, or more when
 * torch's output size (contract/conv.ts torchConvOutputSize) puts the last window's taps past the padding (they read 0).
 */
export interface PackedInput {
  readonly data: Float64Array;
  readonly hp: number;
  readonly wp: number;
  /** max |x - z_x| over the batch element (for the accumulator bound) */
  readonly maxAbs: number;
}

export function packInput(a: Conv2dArgs, g: ConvGeometry, n: number): PackedInput {
  const [ph, pw] = a.padding;
  const [sh, sw] = a.stride;
  const [dh, dw] = a.dilation;
  const hp = Math.max(g.h + 2 * ph, (g.oh - 1) * sh + (g.kh - 1) * dh + 1);
  const wp = Math.max(g.w + 2 * pw, (g.ow - 1) * sw + (g.kw - 1) * dw + 1);
  const data = new Float64Array(g.c * hp * wp);
  const zx = a.xZeroPoint;
  const x = a.x.data;
  let maxAbs = 0;
  for (let c = 0; c < g.c; c++) {
    for (let h = 0; h < g.h; h++) {
      const src = ((n * g.c + c) * g.h + h) * g.w;
      const dst = (c * hp + h + ph) * wp + pw;
      for (let w = 0; w < g.w; w++) {
        const v = (x[src + w] as number) - zx;
        data[dst + w] = v;
        if (v > maxAbs) maxAbs = v;
        else if (-v > maxAbs) maxAbs = -v;
      }
    }
  }
  return { data, hp, wp, maxAbs };
}

/** Weights centered per output channel (w - z_w[oc]), [OC][IC/groups][KH][KW] as doubles, and each channel's sum of |w - z_w|. */
export function centeredWeights(a: Conv2dArgs, g: ConvGeometry): { data: Float64Array; absSum: Float64Array } {
  const per = g.icg * g.kh * g.kw;
  const data = new Float64Array(g.oc * per);
  const absSum = new Float64Array(g.oc);
  for (let oc = 0; oc < g.oc; oc++) {
    const zw = a.weightZeroPoints.data[g.perChannel ? oc : 0] as number;
    for (let i = 0; i < per; i++) {
      const v = (a.weight.data[oc * per + i] as number) - zw;
      data[oc * per + i] = v;
      absSum[oc] = (absSum[oc] as number) + Math.abs(v);
    }
  }
  return { data, absSum };
}
