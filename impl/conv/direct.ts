/**
 * conv2d__direct: the exact accumulator (contract/conv.ts `exact` / `int32_wrap`) on doubles.
 *
 * Two output channels per multiply-add: products of centered values are integers below 2^16 and an
 * output channel's sum is bounded by max|x - z_x| * sum|w - z_w|. When both bounds of a channel pair are
 * below 2^25, the pair's weights are packed into one double, W = w0 + w1 * 2^26, so one `acc += W * x`
 * accumulates both channels exactly (|acc| < 2^25 + 2^25 * 2^26 < 2^53) and a rounding division splits
 * them after. Otherwise the channel runs alone (exact below 2^53 for any conv qconform accepts).
 *
 * Register blocking: the taps of a (packed) channel are a list of (input offset, weight); eight adjacent
 * outputs of a row accumulate in locals while the taps stream by, so each tap costs one weight load,
 * one offset load and eight input loads for sixteen exact MACs. Input rows are centered and zero-padded
 * once per batch element (packed_input.ts), so the loop has no bounds checks.
 */
import type { Conv2dArgs } from '../../contract/conv.js';
import type { ConvGeometry } from '../../contract/conv_checks.js';
import { type PackedInput, centeredWeights, packInput } from './packed_input.js';

const LANE = 2 ** 26;
const LANE_BOUND = 2 ** 25;

/** Offsets, within the padded input, of every tap (icg, kh, kw) of a group, relative to the window origin. */
function tapOffsets(a: Conv2dArgs, g: ConvGeometry, x: PackedInput): Int32Array {
  const off = new Int32Array(g.icg * g.kh * g.kw);
  let t = 0;
  for (let icg = 0; icg < g.icg; icg++) {
    for (let kh = 0; kh < g.kh; kh++) {
      for (let kw = 0; kw < g.kw; kw++) off[t++] = (icg * x.hp + kh * a.dilation[0]) * x.wp + kw * a.dilation[1];
    }
  }
  return off;
}

/** acc[oh * OW + ow] = sum over taps of weights[t] * x(window origin + off[t]), for one (packed) channel. */
function accumulateChannel(acc: Float64Array, x: PackedInput, groupBase: number, off: Int32Array, weights: Float64Array, g: ConvGeometry, a: Conv2dArgs): void {
  const data = x.data;
  const [sh, sw] = a.stride;
  const taps = off.length;
  const OW = g.ow;
  const ow8 = OW - (OW % 8);
  for (let oh = 0; oh < g.oh; oh++) {
    const row = groupBase + oh * sh * x.wp;
    const o = oh * OW;
    let ow = 0;
    for (; ow < ow8; ow += 8) {
      const base = row + ow * sw;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let a4 = 0;
      let a5 = 0;
      let a6 = 0;
      let a7 = 0;
      for (let t = 0; t < taps; t++) {
        const wv = weights[t] as number;
        const i = base + (off[t] as number);
        a0 += wv * (data[i] as number);
        a1 += wv * (data[i + sw] as number);
        a2 += wv * (data[i + 2 * sw] as number);
        a3 += wv * (data[i + 3 * sw] as number);
        a4 += wv * (data[i + 4 * sw] as number);
        a5 += wv * (data[i + 5 * sw] as number);
        a6 += wv * (data[i + 6 * sw] as number);
        a7 += wv * (data[i + 7 * sw] as number);
      }
      acc[o + ow] = a0;
      acc[o + ow + 1] = a1;
      acc[o + ow + 2] = a2;
      acc[o + ow + 3] = a3;
      acc[o + ow + 4] = a4;
      acc[o + ow + 5] = a5;
      acc[o + ow + 6] = a6;
      acc[o + ow + 7] = a7;
    }
    for (; ow < OW; ow++) {
      const base = row + ow * sw;
      let s = 0;
      for (let t = 0; t < taps; t++) s += (weights[t] as number) * (data[base + (off[t] as number)] as number);
      acc[o + ow] = s;
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
    const off = tapOffsets(a, g, x);
    for (let oc = 0; oc < g.oc; ) {
      const group = Math.floor(oc / g.ocg);
      const groupBase = group * g.icg * x.hp * x.wp;
      const pair = oc + 1 < (group + 1) * g.ocg && x.maxAbs * Math.max(absSum[oc] as number, absSum[oc + 1] as number) < LANE_BOUND;
      if (pair) {
        for (let t = 0; t < taps; t++) packed[t] = (w[oc * taps + t] as number) + (w[(oc + 1) * taps + t] as number) * LANE;
        accumulateChannel(acc, x, groupBase, off, packed, g, a);
        const base0 = (n * g.oc + oc) * plane;
        for (let i = 0; i < plane; i++) {
          const v = acc[i] as number;
          const high = Math.floor(v / LANE + 0.5);
          out[base0 + i] = v - high * LANE;
          out[base0 + plane + i] = high;
        }
        oc += 2;
      } else {
        accumulateChannel(acc, x, groupBase, off, w.subarray(oc * taps, (oc + 1) * taps), g, a);
        out.set(acc, (n * g.oc + oc) * plane);
        oc += 1;
      }
    }
  }
  return out;
}
