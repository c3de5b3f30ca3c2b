/**
 * conv2d__sat16_pairs_im2col: ONNX Runtime 1.30's MLAS u8s8 AVX2 accumulator (contract/conv.ts
 * `sat16_pairs_im2col`), fast twin of reference/conv/sat16_pairs_im2col_accumulator.ts. As MLAS does, the
 * weights are reordered once into the NHWC im2col K order k = (kh KW + kw) Cg + icg (with their sums), and each
 * output position's im2col row (padding = z_x, with its sum) is built once and reused by every output channel
 * of its group; then the raw products of the pairs (2j, 2j+1) of k are summed with int16 saturation and the
 * zero-point terms are added exactly. Doubles hold every intermediate exactly (|acc| far below 2^53 for any
 * conv qconform accepts); the caller wraps to int32.
 */
import type { Conv2dArgs } from '../../contract/conv.js';
import type { ConvGeometry } from '../../contract/conv_checks.js';

/** Weights in K order per output channel, [OC][K], and each channel's raw weight sum. */
function weightsInKOrder(a: Conv2dArgs, g: ConvGeometry): { wk: Int32Array; sumW: Float64Array } {
  const K = g.icg * g.kh * g.kw;
  const wk = new Int32Array(g.oc * K);
  const sumW = new Float64Array(g.oc);
  const w = a.weight.data;
  for (let oc = 0; oc < g.oc; oc++) {
    let sum = 0;
    for (let icg = 0; icg < g.icg; icg++) {
      for (let t = 0; t < g.kh * g.kw; t++) {
        const v = w[(oc * g.icg + icg) * g.kh * g.kw + t] as number; // OIHW: t = kh KW + kw
        wk[oc * K + t * g.icg + icg] = v;
        sum += v;
      }
    }
    sumW[oc] = sum;
  }
  return { wk, sumW };
}

/** The im2col row of output (n, group, oh, ow) into `row` (padding reads z_x); returns its sum. */
function fillRow(row: Int32Array, a: Conv2dArgs, g: ConvGeometry, n: number, group: number, oh: number, ow: number): number {
  const x = a.x.data;
  const zx = a.xZeroPoint;
  let sum = 0;
  let k = 0;
  for (let kh = 0; kh < g.kh; kh++) {
    const ih = oh * a.stride[0] - a.padding[0] + kh * a.dilation[0];
    for (let kw = 0; kw < g.kw; kw++) {
      const iw = ow * a.stride[1] - a.padding[1] + kw * a.dilation[1];
      const inside = ih >= 0 && ih < g.h && iw >= 0 && iw < g.w;
      const base = ((n * g.c + group * g.icg) * g.h + ih) * g.w + iw;
      for (let icg = 0; icg < g.icg; icg++) {
        const v = inside ? (x[base + icg * g.h * g.w] as number) : zx;
        row[k++] = v;
        sum += v;
      }
    }
  }
  return sum;
}

/** sum_j sat16(row[2j] w[2j] + row[2j+1] w[2j+1]) over one channel's K-ordered weights at `off`; an odd K's last element stands alone. */
function saturatedPairSum(row: Int32Array, wk: Int32Array, off: number, K: number): number {
  let s = 0;
  const even = K - (K % 2);
  for (let k = 0; k < even; k += 2) {
    const p = (row[k] as number) * (wk[off + k] as number) + (row[k + 1] as number) * (wk[off + k + 1] as number);
    s += p > 32767 ? 32767 : p < -32768 ? -32768 : p;
  }
  if (even < K) s += (row[even] as number) * (wk[off + even] as number); // |u8 x s8| <= 32640: never saturates
  return s;
}

/** Accumulators of every output, [N][OC][OH][OW], as integer-valued doubles (not yet wrapped to int32). */
export function conv2d__sat16_pairs_im2col(a: Conv2dArgs, g: ConvGeometry): Float64Array {
  const K = g.icg * g.kh * g.kw;
  const out = new Float64Array(g.n * g.oc * g.oh * g.ow);
  const { wk, sumW } = weightsInKOrder(a, g);
  const zx = a.xZeroPoint;
  const row = new Int32Array(K);
  for (let n = 0; n < g.n; n++) {
    for (let group = 0; group < g.groups; group++) {
      for (let oh = 0; oh < g.oh; oh++) {
        for (let ow = 0; ow < g.ow; ow++) {
          const sumA = fillRow(row, a, g, n, group, oh, ow);
          for (let oc = group * g.ocg; oc < (group + 1) * g.ocg; oc++) {
            const zw = a.weightZeroPoints.data[g.perChannel ? oc : 0] as number;
            const s = saturatedPairSum(row, wk, oc * K, K);
            out[((n * g.oc + oc) * g.oh + oh) * g.ow + ow] = s - zw * sumA - zx * (sumW[oc] as number) + K * zx * zw;
          }
        }
      }
    }
  }
  return out;
}
