/**
 * conv2d__direct: the exact accumulator (spec/conv.ts `exact` / `int32_wrap`) on doubles, two output
 * channels per multiply-add. Products of centered values are integers below 2^16; an output channel's
 * sum is bounded by max|x - z_x| * sum|w - z_w|. When both bounds of a channel pair are below 2^25,
 * the pair's weights are packed into one double, W = w0 + w1 * 2^26, so one `acc += W * x` accumulates
 * both channels exactly (|acc| < 2^25 + 2^25 * 2^26 < 2^53) and a rounding division splits them after.
 * Otherwise the channel runs alone (exact below 2^53 for any conv qconform accepts).
 * Layout: padded, centered input rows (packed_input.ts); the inner loop runs along an output row.
 */
import type { Conv2dArgs } from '../../spec/conv.js';
import type { ConvGeometry } from '../../spec/conv_checks.js';
import { centeredWeights, packInput, type PackedInput } from './packed_input.js';

const LANE = 2 ** 26;
const LANE_BOUND = 2 ** 25;

/** acc[oh * OW + ow] += sum over the group's taps of W[tap] * x(tap) for one (packed) weight set. */
function accumulateChannel(acc: Float64Array, x: PackedInput, weights: Float64Array, wOffset: number, icBase: number, g: ConvGeometry, a: Conv2dArgs): void {
  const [sh, sw] = a.stride;
  const [dh, dw] = a.dilation;
  const { data, hp, wp } = x;
  const { oh: OH, ow: OW } = g;
  let t = wOffset;
  for (let icg = 0; icg < g.icg; icg++) {
    const plane = (icBase + icg) * hp * wp;
    for (let kh = 0; kh < g.kh; kh++) {
      for (let kw = 0; kw < g.kw; kw++) {
        const wv = weights[t++] as number;
        if (wv === 0) continue;
        for (let oh = 0; oh < OH; oh++) {
          const o = oh * OW;
          const i = plane + (oh * sh + kh * dh) * wp + kw * dw;
          if (sw === 1) for (let ow = 0; ow < OW; ow++) acc[o + ow] = (acc[o + ow] as number) + wv * (data[i + ow] as number);
          else for (let ow = 0; ow < OW; ow++) acc[o + ow] = (acc[o + ow] as number) + wv * (data[i + ow * sw] as number);
        }
      }
    }
  }
}

/** Exact accumulators of every output, [N][OC][OH][OW], as integer-valued doubles. */
export function conv2d__direct(a: Conv2dArgs, g: ConvGeometry): Float64Array {
  const plane = g.oh * g.ow;
  const out = new Float64Array(g.n * g.oc * plane);
  const { data: w, absSum } = centeredWeights(a, g);
  const taps = g.icg * g.kh * g.kw;
  const packed = new Float64Array(taps);
  const acc = new Float64Array(plane);
  for (let n = 0; n < g.n; n++) {
    const x = packInput(a, g, n);
    for (let oc = 0; oc < g.oc; ) {
      const group = Math.floor(oc / g.ocg);
      const pair = oc + 1 < (group + 1) * g.ocg && x.maxAbs * Math.max(absSum[oc] as number, absSum[oc + 1] as number) < LANE_BOUND;
      acc.fill(0);
      if (pair) {
        for (let t = 0; t < taps; t++) packed[t] = (w[oc * taps + t] as number) + (w[(oc + 1) * taps + t] as number) * LANE;
        accumulateChannel(acc, x, packed, 0, group * g.icg, g, a);
        const base0 = (n * g.oc + oc) * plane;
        for (let i = 0; i < plane; i++) {
          const v = acc[i] as number;
          const high = Math.floor(v / LANE + 0.5);
          out[base0 + i] = v - high * LANE;
          out[base0 + plane + i] = high;
        }
        oc += 2;
      } else {
        accumulateChannel(acc, x, w, oc * taps, group * g.icg, g, a);
        out.set(acc, (n * g.oc + oc) * plane);
        oc += 1;
      }
    }
  }
  return out;
}
