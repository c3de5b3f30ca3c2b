/**
 * conv_integer@1, exact reference: ONNX ConvInteger (2-D) as onnxruntime 1.30 computes it
 * (onnxruntime/core/providers/cpu/quantization/conv_integer.cc: Im2col with x_zero_point as the padding
 * value, then MlasGemm with the zero points, int32 output). Each output is
 *   y[n, m, oh, ow] = wrap32( sum over c in the group, kh, kw of (x - z_x)(w - z_w) ),
 * padded taps contributing (z_x - z_x) = 0. Exact integers (bigint). On AVX512-VNNI every product is exact.
 */
import { checkConvInteger } from '../../contract/conv_integer_checks.js';
import type { ConvIntegerArgs } from '../../contract/onnx_qops.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { wrapInt32 } from '../exact/x86_conversions.js';

export function convInteger(a: ConvIntegerArgs): IntTensor {
  const g = checkConvInteger(a);
  const zx = BigInt(g.xZeroPoint);
  const zw = BigInt(g.wZeroPoint);
  const [sh, sw] = a.strides;
  const [dh, dw] = a.dilations;
  const [pt, pl] = a.pads;
  const out: number[] = [];
  for (let n = 0; n < g.n; n++) {
    for (let m = 0; m < g.m; m++) {
      const c0 = Math.floor(m / g.mg) * g.cg;
      for (let oh = 0; oh < g.oh; oh++) {
        for (let ow = 0; ow < g.ow; ow++) {
          let acc = 0n;
          for (let cg = 0; cg < g.cg; cg++) {
            for (let kh = 0; kh < g.kh; kh++) {
              const ih = oh * sh - pt + kh * dh;
              if (ih < 0 || ih >= g.h) continue;
              for (let kw = 0; kw < g.kw; kw++) {
                const iw = ow * sw - pl + kw * dw;
                if (iw < 0 || iw >= g.w) continue;
                const x = BigInt(a.x.data[((n * g.c + c0 + cg) * g.h + ih) * g.w + iw] as number);
                const w = BigInt(a.w.data[((m * g.cg + cg) * g.kh + kh) * g.kw + kw] as number);
                acc += (x - zx) * (w - zw);
              }
            }
          }
          out.push(Number(wrapInt32(acc)));
        }
      }
    }
  }
  return intTensor('int32', [g.n, g.m, g.oh, g.ow], out);
}
