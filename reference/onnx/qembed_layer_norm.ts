/**
 * qembed_layer_normalization@1, exact reference: com.microsoft QEmbedLayerNormalization as onnxruntime 1.30 computes
 * it (contrib_ops/cpu/quantization/qembed_layer_norm.cc ComputeInternal, with quantization::Dequantize of
 * core/quantization/quantization.h). The kernel is plain C++ `float` arithmetic compiled for baseline x86-64: ORT's
 * CMake adds no -mfma for it (cmake/adjust_global_compile_flags.cmake sets -mavx/-mavx2 only on request;
 * onnxruntime_providers_cpu.cmake passes -mfma to training's Adasum files alone) and no -ffast-math, so each step
 * below is one IEEE float32 operation in source order, neither contracted into an FMA nor reassociated. Per token
 * t = b S + s, with H the hidden size and dq(q, s, z) = f32(float(q - z) * s) (int difference, exact):
 *   u_i  = f32(dq(word[ids[t]]_i) + dq(position[s]_i)), then u_i = f32(u_i + dq(segment[segment_ids[t]]_i))
 *   sum  = f32(... f32(+0 + u_0) ... + u_{H-1})              float32, left to right
 *   mean = f32(sum / float(H))
 *   a_i  = f32(u_i - mean)
 *   ss   = f32(... f32(+0 + f32(a_0 a_0)) ... + f32(a_{H-1} a_{H-1}))
 *   e    = sqrt(f32(f32(ss / float(H)) + epsilon))              correctly rounded float32 root (sqrtss, or the
 *                                                               innocuous double rounding of sqrt(double))
 *   y_i  = f32(f32(f32(a_i / e) * dq(gamma_i)) + dq(beta_i))
 * Tokens are independent (ThreadPool::TryBatchParallelFor over t), so the thread count does not change a bit.
 * mask_index[b] counts the mask[b, s] equal to 1 (int32); it is 0 without a mask. Every input is finite, so a NaN
 * can only come from an invalid operation (inf - inf, inf / inf after an overflow): x86's default NaN 0xffc00000,
 * which the later steps carry unchanged.
 */
import type { QEmbedLayerNormArgs, QEmbedLayerNormResult } from '../../contract/onnx_qops.js';
import { type DequantParams, checkQEmbedLayerNorm } from '../../contract/qembed_layer_norm_checks.js';
import { type IntTensor, f32Tensor, intTensor } from '../../contract/tensor.js';
import { f32Add, f32Div, f32Mul, f32Sqrt, f32Sub, intToF32 } from '../exact/float_arith.js';
import { encodeBits, fromFloat32 } from '../exact/ieee_bits.js';
import { BINARY32, type IeeeValue, finite } from '../exact/ieee_value.js';
import { Rational } from '../exact/rational.js';
import { dequantizeLinearValue } from '../ops/quantize_linear.js';

/** quantization::Dequantize: f32(float(q - z) * scale), the difference exact in int. */
function dequantizer(p: DequantParams): (q: number) => IeeeValue {
  const scale = fromFloat32(p.scale);
  return (q) => dequantizeLinearValue(BigInt(q), BigInt(p.zeroPoint), scale);
}

/** The number of entries equal to 1 in each row of a [B, S] int32 mask, or zeros (ORT's memset) without one. */
function maskIndex(mask: IntTensor | null, batch: number, sequence: number): IntTensor {
  const out = new Int32Array(batch);
  if (mask) for (let b = 0; b < batch; b++) for (let s = 0; s < sequence; s++) if (mask.data[b * sequence + s] === 1) out[b]! += 1;
  return intTensor('int32', [batch], out);
}

/** QEmbedLayerNorm<T>::Compute and its ComputeInternal (contrib_ops/cpu/quantization/qembed_layer_norm.cc), as above: integer differences, then float32 operations in source order, each rounded via reference/exact. */
export function qembedLayerNormalization(a: QEmbedLayerNormArgs): QEmbedLayerNormResult {
  const g = checkQEmbedLayerNorm('qembed_layer_normalization', a);
  const { batch, sequence, hidden: h } = g;
  const [word, position, gamma, beta] = [dequantizer(g.word), dequantizer(g.position), dequantizer(g.gamma), dequantizer(g.beta)];
  const segment = g.segment ? dequantizer(g.segment) : null;
  const hiddenF32 = intToF32(BigInt(h));
  const epsilon = fromFloat32(g.epsilon);
  const zero = finite(Rational.ZERO);
  const y = new Float32Array(batch * sequence * h);
  const bits = new Uint32Array(y.buffer);
  for (let t = 0; t < batch * sequence; t++) {
    const wordRow = (a.inputIds.data[t] as number) * h;
    const positionRow = (t % sequence) * h;
    const segmentRow = a.segmentIds ? (a.segmentIds.data[t] as number) * h : 0;
    const u: IeeeValue[] = [];
    let sum = zero;
    for (let i = 0; i < h; i++) {
      let v = f32Add(word(a.wordEmbedding.data[wordRow + i] as number), position(a.positionEmbedding.data[positionRow + i] as number));
      if (segment && a.segmentEmbedding) v = f32Add(v, segment(a.segmentEmbedding.data[segmentRow + i] as number));
      u.push(v);
      sum = f32Add(sum, v);
    }
    const mean = f32Div(sum, hiddenF32);
    let squares = zero;
    const centred = u.map((v) => {
      const d = f32Sub(v, mean);
      squares = f32Add(squares, f32Mul(d, d));
      return d;
    });
    const e = f32Sqrt(f32Add(f32Div(squares, hiddenF32), epsilon));
    for (let i = 0; i < h; i++) {
      const out = f32Add(f32Mul(f32Div(centred[i]!, e), gamma(a.gamma.data[i] as number)), beta(a.beta.data[i] as number));
      bits[t * h + i] = Number(encodeBits(out, BINARY32));
    }
  }
  return { y: f32Tensor([batch, sequence, h], y), maskIndex: maskIndex(a.mask, batch, sequence) };
}
