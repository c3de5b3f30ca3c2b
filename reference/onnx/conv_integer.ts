/**
 * conv_integer@1, exact reference: ONNX ConvInteger (2-D) as onnxruntime 1.30 computes it
 * (onnxruntime/core/providers/cpu/quantization/conv_integer.cc: per group, Im2col<uint8_t, NCHW> of x with
 * x_zero_point as the padding value, then MlasGemm with A = W [M/group, K] and B = the im2col [K, OH OW],
 * K = (c, kh, kw) with kw innermost; int32 output). For one output the GEMM row is
 *   w[k] = W[m, c, kh, kw], v[k] = x at the tap (z_x on a padded tap), k = (c KH + kh) KW + kw,
 * and the accumulator model (reference/onnx/int_gemm.ts, with A = w, B = v) gives
 *   int32_wrap:          wrap32( sum_k (v[k] - z_x)(w[k] - z_w) )   (padded taps contribute 0);
 *   sat16_pairs_im2col:  wrap32( sum_p sat16(w[2p] v[2p] + w[2p+1] v[2p+1]) - z_x sum w - z_w sum v + K z_x z_w )
 *                        (MlasGemmU8S8KernelAvx2 on uint8 weights and int8 activations; verified under
 *                        qemu -cpu Haswell, vectors/onnxruntime-1.30-ops-haswell).
 * Exact integers (bigint).
 */
import { checkConvInteger } from '../../contract/conv_integer_checks.js';
import type { ConvIntegerArgs } from '../../contract/onnx_qops.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { wrapInt32 } from '../exact/x86_conversions.js';
import { sat16PairsDot } from '../conv/sat16_pairs_dot.js';
import { exactIntDot } from '../exact/int_dot.js';

/** ConvInteger::Compute (onnxruntime/core/providers/cpu/quantization/conv_integer.cc): per output, the im2col row through the accumulator model above; exact bigint, wrapped to int32 once. */
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
          const w: bigint[] = [];
          const v: bigint[] = [];
          for (let cg = 0; cg < g.cg; cg++) {
            for (let kh = 0; kh < g.kh; kh++) {
              for (let kw = 0; kw < g.kw; kw++) {
                const ih = oh * sh - pt + kh * dh;
                const iw = ow * sw - pl + kw * dw;
                const inside = ih >= 0 && ih < g.h && iw >= 0 && iw < g.w;
                v.push(inside ? BigInt(a.x.data[((n * g.c + c0 + cg) * g.h + ih) * g.w + iw] as number) : zx);
                w.push(BigInt(a.w.data[((m * g.cg + cg) * g.kh + kh) * g.kw + kw] as number));
              }
            }
          }
          const acc = a.accumulator === 'int32_wrap' ? exactIntDot(w.length, (k) => v[k]!, (k) => w[k]!, zx, zw) : sat16PairsDot(w.length, (k) => v[k]!, (k) => w[k]!, zx, zw);
          out.push(Number(wrapInt32(acc)));
        }
      }
    }
  }
  return intTensor('int32', [g.n, g.m, g.oh, g.ow], out);
}
