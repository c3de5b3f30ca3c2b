/**
 * qattention@1, exact reference: com.microsoft QAttention as onnxruntime 1.30's CPU kernel computes it on x86-64
 * (contrib_ops/cpu/quantization/attention_quant.cc QAttention<float>::Compute, then AttentionCPUBase::ApplyAttention
 * in contrib_ops/cpu/bert/attention_cpu_base.h), for the subset contract/qattention_checks.ts admits (no mask, no
 * past, not unidirectional):
 *   1. QKV [batch, sequence, 3 * hidden] = MlasGemmBatch of input x weight per (batch, Q/K/V, head) with
 *      MLAS_QGEMM_SCALE_BIAS_OUTPUT_PROCESSOR: f32(f32(f32(acc) * f32(weight_scale[c] * input_scale)) + bias[c]), the
 *      same arithmetic as MatMulIntegerToFloat (reference/onnx/matmul_integer_to_float.ts, reused: the per-head split
 *      of N changes no output, the accumulator model runs along K);
 *   2. per (batch, head) and query row i: score(i, j) = MLAS SGEMM of Q K^T with alpha = f32(1 / sqrtf(head_size))
 *      (ComputeAttentionProbs, math::Gemm with beta 0: mlas_sgemm.ts, K = head_size);
 *   3. the scores' rows through MlasComputeSoftmax (ComputeAttentionSoftmaxInplace: mlas_softmax.ts, the kernel
 *      named by `softmax_kernel`);
 *   4. out(i, d) = MLAS SGEMM of probs V (ComputeVxAttentionScore, math::MatMul: alpha 1, K = sequence), written to
 *      output [batch, sequence, head * head_size + d].
 * Floats by bit decomposition, exact rounding on rationals.
 */
import type { QAttentionArgs } from '../../contract/onnx_qops.js';
import { checkQAttention } from '../../contract/qattention_checks.js';
import type { F32Tensor } from '../../contract/tensor.js';
import { f32Div, intToF32 } from '../exact/float_arith.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { f32SqrtOfInteger } from '../exact/sqrt.js';
import { exactElementsF32, toF32Tensor } from '../values.js';
import { matmulIntegerToFloat } from './matmul_integer_to_float.js';
import { mlasSgemmOutput } from './mlas_sgemm.js';
import { mlasSoftmaxRow } from './mlas_softmax.js';

export function qattention(a: QAttentionArgs): F32Tensor {
  const g = checkQAttention('qattention', a);
  const qkv = exactElementsF32(matmulIntegerToFloat(g.qkv));
  const { sequence: s, hidden, headSize: h } = g;
  const alpha = f32Div(intToF32(1n), f32SqrtOfInteger(BigInt(h)));
  const out: IeeeValue[] = new Array(g.batch * s * hidden);
  for (let b = 0; b < g.batch; b++) {
    // element (row, part, head, d) of QKV: part 0 Q, 1 K, 2 V
    const at = (row: number, part: number, head: number, d: number) => qkv[(b * s + row) * 3 * hidden + part * hidden + head * h + d]!;
    for (let head = 0; head < g.numHeads; head++) {
      for (let i = 0; i < s; i++) {
        const scores = Array.from({ length: s }, (_, j) => mlasSgemmOutput((k) => at(i, 0, head, k), (k) => at(j, 1, head, k), h, alpha));
        const probs = mlasSoftmaxRow(scores, a.softmaxKernel);
        for (let d = 0; d < h; d++) out[(b * s + i) * hidden + head * h + d] = mlasSgemmOutput((j) => probs[j]!, (j) => at(j, 2, head, d), s, null);
      }
    }
  }
  return toF32Tensor(g.outShape, out);
}
