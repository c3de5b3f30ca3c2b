/**
 * The straightforward baseline of the conv bench: a direct loop over Int32Array, one multiply-add per
 * MAC with bounds checks for padding, int32 accumulation, float32 requantization (torch-qnnpack style).
 * Not used by qconform; only here to measure what impl/conv buys.
 */
import type { Conv2dArgs } from '../../contract/conv.js';

export function naiveConv(a: Conv2dArgs): Int32Array {
  const [n0, c0, h0, w0] = a.x.shape as [number, number, number, number];
  const [oc0, , kh0, kw0] = a.weight.shape as [number, number, number, number];
  const oh0 = h0 + 2 * a.padding[0] - kh0 + 1;
  const ow0 = w0 + 2 * a.padding[1] - kw0 + 1;
  const x = a.x.data;
  const w = a.weight.data;
  const out = new Int32Array(n0 * oc0 * oh0 * ow0);
  const m = Math.fround((a.xScale * (a.weightScales.data[0] as number)) / a.yScale);
  let k = 0;
  for (let n = 0; n < n0; n++) {
    for (let oc = 0; oc < oc0; oc++) {
      for (let oh = 0; oh < oh0; oh++) {
        for (let ow = 0; ow < ow0; ow++) {
          let acc = 0;
          for (let ic = 0; ic < c0; ic++) {
            for (let kh = 0; kh < kh0; kh++) {
              const ih = oh + kh - a.padding[0];
              if (ih < 0 || ih >= h0) continue;
              for (let kw = 0; kw < kw0; kw++) {
                const iw = ow + kw - a.padding[1];
                if (iw < 0 || iw >= w0) continue;
                acc = (acc + ((x[((n * c0 + ic) * h0 + ih) * w0 + iw] as number) - a.xZeroPoint) * (w[((oc * c0 + ic) * kh0 + kh) * kw0 + kw] as number)) | 0;
              }
            }
          }
          const v = Math.round(Math.fround(acc * m)) + a.yZeroPoint;
          out[k++] = v < 0 ? 0 : v > 255 ? 255 : v;
        }
      }
    }
  }
  return out;
}
