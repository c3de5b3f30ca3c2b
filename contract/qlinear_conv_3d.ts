/**
 * A 3-D qlinear_conv_nhwc@1 as the 2-D pointwise conv it equals, index arithmetic only. ORT 1.30's QLinearConv runs a
 * kernel_rank > 2 conv (onnxruntime/core/providers/cpu/quantization/qlinearconv.cc Compute) on the N-D NHWC im2col
 * (math::Im2col<T, StorageOrder::NHWC>, padded taps holding z_x), one GEMM row per output position whose K index
 * runs (kd, kh, kw, c) with c innermost, per group; the depthwise and ConvSym routes read the same taps through an
 * indirection buffer, kernel position by kernel position. That row is here the channel vector of a 1 x 1 conv: channel
 * c' = g (K Cg) + ((kd KH + kh) KW + kw) Cg + cg of output position p holds x padded[n, od sd + kd dd, oh sh + kh dh,
 * ow sw + kw dw, g Cg + cg], and the weight w'[m, ((kd KH + kh) KW + kw) Cg + cg] = w[m, cg, kd, kh, kw]; groups stay
 * groups. The 2-D model's accumulators see the same K order (`sat16_pairs_im2col` pairs consecutive k of that row),
 * the same products and the same per-output epilogue; positions are laid out [N, C', OD * OH, OW].
 */
import { onnxConvOutputSize } from './conv.js';
import { QconformError } from './errors.js';
import { MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import { type IntTensor, intTensor } from './tensor.js';

export interface PointwiseOf3d {
  /** NCHW [N, C', OD * OH, OW], x's dtype */
  readonly x: IntTensor;
  /** [M, C' / group, 1, 1], the weight's dtype */
  readonly weight: IntTensor;
  /** the 3-D output's spatial dims [OD, OH, OW] */
  readonly out: readonly [number, number, number];
}

export function pointwiseOf3d(what: string, x: IntTensor, w: IntTensor, group: number, zx: number, strides: readonly number[], pads: readonly number[], dilations: readonly number[]): PointwiseOf3d {
  const [n, d, h, wd, c] = x.shape as [number, number, number, number, number];
  const [m, cg, kd, kh, kw] = w.shape as [number, number, number, number, number];
  if (!Number.isSafeInteger(group) || group < 1 || c % group !== 0 || m % group !== 0) {
    throw new QconformError('invalid_geometry', `${what}: group`, { group, inChannels: c, outChannels: m }, 'group must divide the input and output channel counts');
  }
  if (cg !== c / group || kd < 1 || kh < 1 || kw < 1 || m < 1) throw new QconformError('shape_mismatch', `${what}: w`, w.shape, `w is [M >= 1, ${c / group}, KD, KH, KW >= 1] for ${c} input channels in ${group} group(s)`);
  const [sd, sh, sw] = strides as [number, number, number];
  const [dd, dh, dw] = dilations as [number, number, number];
  const [pd0, ph0, pw0, pd1, ph1, pw1] = pads as [number, number, number, number, number, number];
  // ORT's output size (onnxConvOutputSize), ONNX pads begin and end apart; a size <= 0 is refused on an empty batch too
  const out = [onnxConvOutputSize(d, kd, sd, pd0, pd1, dd), onnxConvOutputSize(h, kh, sh, ph0, ph1, dh), onnxConvOutputSize(wd, kw, sw, pw0, pw1, dw)] as const;
  if (out.some((o) => o < 1)) throw new QconformError('empty_output', `${what}: output shape`, [n, ...out, m], 'every output dimension must be >= 1 (ORT: "Invalid input shape", on an empty batch too)');
  const [od, oh, ow] = out;
  const k = kd * kh * kw;
  const channels = group * k * cg;
  checkLimit(`${what}: 3-D im2col elements (N * OD * OH * OW * KD * KH * KW * C)`, n * od * oh * ow * channels, MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  const positions = od * oh * ow;
  const cols = new Int32Array(n * channels * positions);
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < positions; p++) {
      const [zo, yo, xo] = [Math.floor(p / (oh * ow)), Math.floor(p / ow) % oh, p % ow];
      for (let g = 0; g < group; g++) {
        for (let t = 0; t < k; t++) {
          const [td, th, tw] = [Math.floor(t / (kh * kw)), Math.floor(t / kw) % kh, t % kw];
          const [zi, yi, xi] = [zo * sd + td * dd - pd0, yo * sh + th * dh - ph0, xo * sw + tw * dw - pw0];
          const inside = zi >= 0 && zi < d && yi >= 0 && yi < h && xi >= 0 && xi < wd;
          const from = inside ? (((b * d + zi) * h + yi) * wd + xi) * c + g * cg : -1;
          for (let ci = 0; ci < cg; ci++) cols[(b * channels + g * k * cg + t * cg + ci) * positions + p] = inside ? x.data[from + ci]! : zx;
        }
      }
    }
  }
  const weights = new Int32Array(m * k * cg);
  for (let mo = 0; mo < m; mo++) {
    for (let ci = 0; ci < cg; ci++) {
      for (let t = 0; t < k; t++) weights[(mo * k + t) * cg + ci] = w.data[(mo * cg + ci) * k + t]!;
    }
  }
  return { x: intTensor(x.dtype, [n, channels, od * oh, ow], cols), weight: intTensor(w.dtype, [m, k * cg, 1, 1], weights), out };
}
