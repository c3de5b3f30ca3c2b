/**
 * qattention@1, fast twin of reference/onnx/qattention.ts (ORT 1.30 com.microsoft QAttention, attention_quant.cc and
 * bert/attention_cpu_base.h): QKV by MatMulIntegerToFloat's arithmetic, then per (batch, head) the MLAS SGEMM
 * fma chains (Q K^T times alpha = f32(1 / sqrtf(head_size)), then probs V) around MlasComputeSoftmax.
 */
import type { QAttentionArgs } from '../../contract/onnx_qops.js';
import { checkQAttention } from '../../contract/qattention_checks.js';
import { type F32Tensor, f32Tensor } from '../../contract/tensor.js';
import { f32Div, f32Fma, f32Mul } from '../float32.js';
import { matmulIntegerToFloat } from './matmul_integer_to_float.js';
import { mlasSoftmaxRow } from './mlas_softmax.js';

export function qattention(a: QAttentionArgs): F32Tensor {
  const g = checkQAttention('qattention', a);
  const qkv = matmulIntegerToFloat(g.qkv).data;
  const { sequence: s, hidden, headSize: h } = g;
  const alpha = f32Div(1, Math.fround(Math.sqrt(h)));
  const out = new Float32Array(g.batch * s * hidden);
  const row = new Float32Array(s);
  for (let b = 0; b < g.batch; b++) {
    const base = (row: number, part: number, head: number) => (b * s + row) * 3 * hidden + part * hidden + head * h;
    for (let head = 0; head < g.numHeads; head++) {
      for (let i = 0; i < s; i++) {
        const q = base(i, 0, head);
        for (let j = 0; j < s; j++) {
          const k = base(j, 1, head);
          let acc = 0;
          for (let d = 0; d < h; d++) acc = f32Fma(qkv[q + d] as number, qkv[k + d] as number, acc);
          row[j] = f32Mul(acc, alpha);
        }
        mlasSoftmaxRow(row, a.softmaxKernel);
        for (let d = 0; d < h; d++) {
          let acc = 0;
          for (let j = 0; j < s; j++) acc = f32Fma(row[j] as number, qkv[base(j, 2, head) + d] as number, acc);
          out[(b * s + i) * hidden + head * h + d] = acc;
        }
      }
    }
  }
  return f32Tensor(g.outShape, out);
}
