/**
 * qembed_layer_normalization@1, fast twin of reference/onnx/qembed_layer_norm.ts (ORT 1.30 qembed_layer_norm.cc):
 * the same float32 steps in the same order on JS numbers, each rounded by Math.fround (impl/float32.ts), a NaN
 * stored as x86's default NaN 0xffc00000 (the only NaN the kernel can produce from finite inputs).
 */
import type { QEmbedLayerNormArgs, QEmbedLayerNormResult } from '../../contract/onnx_qops.js';
import { type DequantParams, checkQEmbedLayerNorm } from '../../contract/qembed_layer_norm_checks.js';
import { f32Tensor, intTensor } from '../../contract/tensor.js';
import { X86_DEFAULT_NAN_F32, f32Add, f32Div, f32Mul, f32Sqrt, f32Sub } from '../float32.js';
import { dequantizeLinearValue } from '../quantize_linear.js';
import { codeOfByte } from './qlinear_lookup.js';


/** quantization::Dequantize, f32(float(q - z) * scale), of all 256 codes of the dtype, indexed by the code's byte. */
function dequantTable(p: DequantParams, dtype: 'quint8' | 'qint8'): Float32Array {
  return Float32Array.from({ length: 256 }, (_, byte) => dequantizeLinearValue(codeOfByte(byte, dtype), p.zeroPoint, p.scale));
}

export function qembedLayerNormalization(a: QEmbedLayerNormArgs): QEmbedLayerNormResult {
  const g = checkQEmbedLayerNorm('qembed_layer_normalization', a);
  const { batch, sequence, hidden: h } = g;
  const table = (p: DequantParams) => dequantTable(p, g.dtype);
  const [word, position, gamma, beta] = [table(g.word), table(g.position), table(g.gamma), table(g.beta)];
  const segment = g.segment ? table(g.segment) : null;
  const segmentData = a.segmentEmbedding?.data ?? null;
  const y = new Float32Array(batch * sequence * h);
  const bits = new Uint32Array(y.buffer);
  const u = new Float64Array(h);
  for (let t = 0; t < batch * sequence; t++) {
    const wordRow = (a.inputIds.data[t] as number) * h;
    const positionRow = (t % sequence) * h;
    const segmentRow = a.segmentIds ? (a.segmentIds.data[t] as number) * h : 0;
    let sum = 0;
    for (let i = 0; i < h; i++) {
      let v = f32Add(word[(a.wordEmbedding.data[wordRow + i] as number) & 0xff] as number, position[(a.positionEmbedding.data[positionRow + i] as number) & 0xff] as number);
      if (segment && segmentData) v = f32Add(v, segment[(segmentData[segmentRow + i] as number) & 0xff] as number);
      u[i] = v;
      sum = f32Add(sum, v);
    }
    const mean = f32Div(sum, h);
    let squares = 0;
    for (let i = 0; i < h; i++) {
      const d = f32Sub(u[i] as number, mean);
      u[i] = d;
      squares = f32Add(squares, f32Mul(d, d));
    }
    const e = f32Sqrt(f32Add(f32Div(squares, h), g.epsilon));
    for (let i = 0; i < h; i++) {
      const out = f32Add(f32Mul(f32Div(u[i] as number, e), gamma[(a.gamma.data[i] as number) & 0xff] as number), beta[(a.beta.data[i] as number) & 0xff] as number);
      if (Number.isNaN(out)) bits[t * h + i] = X86_DEFAULT_NAN_F32;
      else y[t * h + i] = out;
    }
  }
  const maskIndex = new Int32Array(batch);
  if (a.mask) for (let b = 0; b < batch; b++) for (let s = 0; s < sequence; s++) if (a.mask.data[b * sequence + s] === 1) maskIndex[b]! += 1;
  return { y: f32Tensor([batch, sequence, h], y), maskIndex: intTensor('int32', [batch], maskIndex) };
}
