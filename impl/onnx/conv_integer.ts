/**
 * conv_integer@1, fast twin of reference/onnx/conv_integer.ts (ORT 1.30 ConvInteger, conv_integer.cc): centered
 * values on doubles (each output's sum is an integer below 2^53), padded taps skipped, `| 0` for the int32 wrap;
 * sat16_pairs_im2col on the raw NCHW im2col row (sat16_pairs below).
 */
import { type ConvIntegerGeometry, checkConvInteger } from '../../contract/conv_integer_checks.js';
import { sat16PairSum } from './sat16_pair_sum.js';
import type { ConvIntegerArgs } from '../../contract/onnx_qops.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';

/** sat16_pairs_im2col: the raw weight row times the raw NCHW im2col column (z_x on padded taps), pairs saturated. */
function sat16Pairs(a: ConvIntegerArgs, g: ConvIntegerGeometry): IntTensor {
  const [sh, sw] = a.strides;
  const [dh, dw] = a.dilations;
  const [pt, pl] = a.pads;
  const k = g.cg * g.kh * g.kw;
  const v = new Float64Array(k);
  const out = new Int32Array(g.n * g.m * g.oh * g.ow);
  let o = 0;
  for (let n = 0; n < g.n; n++) {
    for (let m = 0; m < g.m; m++) {
      const c0 = Math.floor(m / g.mg) * g.cg;
      const w = a.w.data.subarray(m * k, (m + 1) * k);
      let sumW = 0;
      for (let t = 0; t < k; t++) sumW += w[t] as number;
      for (let oh = 0; oh < g.oh; oh++) {
        for (let ow = 0; ow < g.ow; ow++) {
          let t = 0;
          let sumV = 0;
          for (let cg = 0; cg < g.cg; cg++) {
            for (let kh = 0; kh < g.kh; kh++) {
              const ih = oh * sh - pt + kh * dh;
              for (let kw = 0; kw < g.kw; kw++) {
                const iw = ow * sw - pl + kw * dw;
                const x = ih >= 0 && ih < g.h && iw >= 0 && iw < g.w ? (a.x.data[((n * g.c + c0 + cg) * g.h + ih) * g.w + iw] as number) : g.xZeroPoint;
                v[t++] = x;
                sumV += x;
              }
            }
          }
          const s = sat16PairSum(w, 0, v, 0, k);
          out[o++] = (s - g.xZeroPoint * sumW - g.wZeroPoint * sumV + k * g.xZeroPoint * g.wZeroPoint) | 0;
        }
      }
    }
  }
  return intTensor('int32', [g.n, g.m, g.oh, g.ow], out);
}

export function convInteger(a: ConvIntegerArgs): IntTensor {
  const g = checkConvInteger(a);
  if (a.accumulator === 'sat16_pairs_im2col') return sat16Pairs(a, g);
  const x = Float64Array.from(a.x.data, (v) => v - g.xZeroPoint);
  const w = Float64Array.from(a.w.data, (v) => v - g.wZeroPoint);
  const [sh, sw] = a.strides;
  const [dh, dw] = a.dilations;
  const [pt, pl] = a.pads;
  const out = new Int32Array(g.n * g.m * g.oh * g.ow);
  let o = 0;
  for (let n = 0; n < g.n; n++) {
    for (let m = 0; m < g.m; m++) {
      const c0 = Math.floor(m / g.mg) * g.cg;
      for (let oh = 0; oh < g.oh; oh++) {
        for (let ow = 0; ow < g.ow; ow++) {
          let acc = 0;
          for (let cg = 0; cg < g.cg; cg++) {
            const xPlane = (n * g.c + c0 + cg) * g.h;
            const wPlane = (m * g.cg + cg) * g.kh;
            for (let kh = 0; kh < g.kh; kh++) {
              const ih = oh * sh - pt + kh * dh;
              if (ih < 0 || ih >= g.h) continue;
              const xRow = (xPlane + ih) * g.w;
              const wRow = (wPlane + kh) * g.kw;
              for (let kw = 0; kw < g.kw; kw++) {
                const iw = ow * sw - pl + kw * dw;
                if (iw >= 0 && iw < g.w) acc += (x[xRow + iw] as number) * (w[wRow + kw] as number);
              }
            }
          }
          out[o++] = acc | 0;
        }
      }
    }
  }
  return intTensor('int32', [g.n, g.m, g.oh, g.ow], out);
}
