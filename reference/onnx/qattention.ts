/**
 * qattention@1, exact reference: com.microsoft QAttention as onnxruntime 1.30's CPU kernel computes it on x86-64
 * (contrib_ops/cpu/quantization/attention_quant.cc QAttention<float>::Compute, then AttentionCPUBase::ApplyAttention
 * in contrib_ops/cpu/bert/attention_cpu_base.h), for the subset contract/qattention_checks.ts admits:
 *   1. QKV [batch, sequence, 3 * hidden] = MlasGemmBatch of input x weight per (batch, Q/K/V, head) with
 *      MLAS_QGEMM_SCALE_BIAS_OUTPUT_PROCESSOR: f32(f32(f32(acc) * f32(weight_scale[c] * input_scale)) + bias[c]), the
 *      same arithmetic as MatMulIntegerToFloat (reference/onnx/matmul_integer_to_float.ts, reused: the per-head split
 *      of N changes no output, the accumulator model runs along K);
 *   2. per (batch, head), K and V of T = past + sequence rows: the past's rows [0 or 1, batch, head, :, :] then the
 *      new ones (ConcatStateChunk), which are also the present output [2, batch, num_heads, T, head_size];
 *   3. per query row i: score(i, j) = MLAS SGEMM of Q K^T with alpha = f32(1 / sqrtf(head_size)) (ComputeAttentionProbs,
 *      math::Gemm: mlas_sgemm.ts, K = head_size in MLAS's K blocks, contract/mlas_sgemm_blocks.ts), then, where ORT builds a mask buffer (contract/qattention_mask.ts),
 *      f32(score + mask(i, j)) with mask 0, -10000 (mask_filter_value) or -FLT_MAX (causal): a float32 addition
 *      after the scaled product, two roundings (measured on ORT 1.30: a fully masked row tells f32(f32(s) - 10000)
 *      from a fused f32(s - 10000));
 *   4. the rows through MlasComputeSoftmax (ComputeAttentionSoftmaxInplace: mlas_softmax.ts, the kernel named by
 *      `softmax_kernel`);
 *   5. out(i, d) = MLAS SGEMM of probs V (ComputeVxAttentionScore, math::MatMul: alpha 1, K = T), written to
 *      output [batch, sequence, head * head_size + d]; with sequence 1 (M = 1, alpha 1) sgemm.cpp takes its M = 1
 *      route, MlasSgemmKernelM1Avx (mlasSgemmM1Output: groups of 4 products, no fma), which matters once past makes
 *      T > 1 (measured on ORT 1.30, host and Haswell); with head_size 1 and sequence > 1 (N = 1) its N = 1 route,
 *      MlasSgemmKernelM1TransposeBAvx over the rows (mlasSgemmM1TransposeBRows). With head_size 1, alpha = 1 and
 *      Q K^T of one row takes the M = 1 route too: one product per output, the same bytes as the fma chain.
 * Floats by bit decomposition, exact rounding on rationals.
 */
import type { QAttentionArgs, QAttentionResult } from '../../contract/onnx_qops.js';
import { mlasSgemmStrideK } from '../../contract/mlas_sgemm_blocks.js';
import { checkQAttention } from '../../contract/qattention_checks.js';
import { MASK_CAUSAL, MASK_FILTER, qattentionMaskCells } from '../../contract/qattention_mask.js';
import { f32Add, f32Div, ieeeNeg, intToF32 } from '../exact/float_arith.js';
import { f32HexLiteral } from '../exact/f32_literal.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { f32SqrtOfInteger } from '../exact/sqrt.js';
import { exactElementsF32, toF32Tensor } from '../values.js';
import { matmulIntegerToFloat } from './matmul_integer_to_float.js';
import { mlasSgemmM1Output, mlasSgemmM1TransposeBRows, mlasSgemmOutput } from './mlas_sgemm.js';
import { mlasSoftmaxRow } from './mlas_softmax.js';

/** PrepareMask's float32 values by cell kind: 0.0f, mask_filter_value_ = -10000.0f, std::numeric_limits<float>::lowest(). */
const MASK_VALUES: readonly IeeeValue[] = [intToF32(0n), intToF32(-10000n), ieeeNeg(f32HexLiteral(0xffffffn, 104))];

/** QAttention<float>::Compute (contrib_ops/cpu/quantization/attention_quant.cc), steps 1-5 above: int32 GEMM accumulators, then float32 steps (SGEMM FMA chains, mask adds, MlasComputeSoftmax) each rounded via reference/exact. */
export function qattention(a: QAttentionArgs): QAttentionResult {
  const g = checkQAttention('qattention', a);
  const qkv = exactElementsF32(matmulIntegerToFloat(g.qkv));
  const past = a.past ? exactElementsF32(a.past) : [];
  const { sequence: s, hidden, headSize: h, past: p, total: t, numHeads: n } = g;
  const alpha = f32Div(intToF32(1n), f32SqrtOfInteger(BigInt(h)));
  // MLAS's K blocks: Q K^T is N = total by K = head_size, probs V is N = head_size by K = total
  const [qkStrideK, pvStrideK] = [mlasSgemmStrideK(t, h), mlasSgemmStrideK(h, t)];
  // head size 1 with several rows: probs V is N = 1, sgemm.cpp's N == 1 route (MlasSgemmKernelM1TransposeBAvx)
  const nRoute = h === 1 && s > 1;
  const cells = qattentionMaskCells(a.maskIndex, g.maskForm, g.causal, g.batch, s, p);
  const out: IeeeValue[] = new Array(g.batch * s * hidden);
  const present: IeeeValue[] = new Array(2 * g.batch * n * t * h);
  for (let b = 0; b < g.batch; b++) {
    // element (row, part, head, d) of QKV: part 0 Q, 1 K, 2 V
    const at = (row: number, part: number, head: number, d: number) => qkv[(b * s + row) * 3 * hidden + part * hidden + head * h + d]!;
    for (let head = 0; head < n; head++) {
      // row j of K (part 1) or V (part 2) after ConcatStateChunk: the past's first, then the new rows
      const kv = (part: 1 | 2, j: number, d: number) => (j < p ? past[((((part - 1) * g.batch + b) * n + head) * p + j) * h + d]! : at(j - p, part, head, d));
      for (const part of [1, 2] as const) for (let j = 0; j < t; j++) for (let d = 0; d < h; d++) present[((((part - 1) * g.batch + b) * n + head) * t + j) * h + d] = kv(part, j, d);
      const rows: IeeeValue[][] = [];
      for (let i = 0; i < s; i++) {
        const scores = Array.from({ length: t }, (_, j) => {
          const scaled = mlasSgemmOutput((k) => at(i, 0, head, k), (k) => kv(1, j, k), h, alpha, qkStrideK);
          const cell = cells ? cells[(b * s + i) * t + j]! : null;
          return cell === null ? scaled : f32Add(scaled, MASK_VALUES[cell === MASK_CAUSAL ? 2 : cell === MASK_FILTER ? 1 : 0]!);
        });
        const probs = mlasSoftmaxRow(scores, a.softmaxKernel);
        rows.push(probs);
        if (nRoute) continue;
        for (let d = 0; d < h; d++) {
          const [pj, vj] = [(j: number) => probs[j]!, (j: number) => kv(2, j, d)];
          out[(b * s + i) * hidden + head * h + d] = s === 1 ? mlasSgemmM1Output(pj, vj, t) : mlasSgemmOutput(pj, vj, t, null, pvStrideK);
        }
      }
      if (nRoute) mlasSgemmM1TransposeBRows((j) => kv(2, j, 0), (i, j) => rows[i]![j]!, t, s).forEach((y, i) => (out[(b * s + i) * hidden + head] = y));
    }
  }
  return { y: toF32Tensor(g.outShape, out), present: g.presentShape ? toF32Tensor(g.presentShape, present) : null };
}
