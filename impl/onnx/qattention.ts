/**
 * qattention@1, fast twin of reference/onnx/qattention.ts (ORT 1.30 com.microsoft QAttention, attention_quant.cc and
 * bert/attention_cpu_base.h): QKV by MatMulIntegerToFloat's arithmetic, K and V preceded by the past's rows, then per
 * (batch, head) the MLAS SGEMM fma chains (Q K^T scaled by alpha = f32(1 / sqrtf(head_size)), then the mask value of
 * contract/qattention_mask.ts added in float32), MlasComputeSoftmax, and probs V (sequence 1: MLAS's M = 1 route; head
 * size 1: its N = 1 route).
 */
import type { QAttentionArgs, QAttentionResult } from '../../contract/onnx_qops.js';
import { checkQAttention } from '../../contract/qattention_checks.js';
import { MASK_CAUSAL, MASK_FILTER, qattentionMaskCells } from '../../contract/qattention_mask.js';
import { f32Tensor } from '../../contract/tensor.js';
import { mlasSgemmStrideK } from '../../contract/mlas_sgemm_blocks.js';
import { f32Add, f32Div, f32Sqrt } from '../float32.js';
import { mlasSgemmChain, mlasSgemmM1, mlasSgemmM1TransposeBRows } from './mlas_sgemm.js';
import { matmulIntegerToFloat } from './matmul_integer_to_float.js';
import { mlasSoftmaxRow } from './mlas_softmax.js';

/** PrepareMask's float32 values: mask_filter_value_ (-10000.0f) and std::numeric_limits<float>::lowest(). */
const MASK_FILTER_VALUE = -10000;
const FLOAT_LOWEST = -3.4028234663852886e38;

export function qattention(a: QAttentionArgs): QAttentionResult {
  const g = checkQAttention('qattention', a);
  const qkv = matmulIntegerToFloat(g.qkv).data;
  const { sequence: s, hidden, headSize: h, past: p, total: t, numHeads: n } = g;
  const alpha = f32Div(1, f32Sqrt(h));
  // MLAS's K blocks: Q K^T is N = total by K = head_size, probs V is N = head_size by K = total
  const [qkStrideK, pvStrideK] = [mlasSgemmStrideK(t, h), mlasSgemmStrideK(h, t)];
  const cells = qattentionMaskCells(a.maskIndex, g.maskForm, g.causal, g.batch, s, p);
  const pastData = a.past?.data;
  const out = new Float32Array(g.batch * s * hidden);
  const present = g.presentShape ? new Float32Array(2 * g.batch * n * t * h) : null;
  const row = new Float32Array(t);
  // head size 1 with several rows: probs V is N = 1 (sgemm.cpp's N == 1 route, MlasSgemmKernelM1TransposeBAvx over all rows)
  const nRoute = h === 1 && s > 1;
  const probs = new Float32Array(nRoute ? s * t : 0);
  const kv = [new Float32Array(t * h), new Float32Array(t * h)];
  for (let b = 0; b < g.batch; b++) {
    for (let head = 0; head < n; head++) {
      // K and V of this (batch, head): the past's rows, then the new ones (ConcatStateChunk)
      for (let part = 0; part < 2; part++) {
        const dst = kv[part]!;
        for (let j = 0; j < t; j++) {
          for (let d = 0; d < h; d++) {
            dst[j * h + d] = j < p ? (pastData![(((part * g.batch + b) * n + head) * p + j) * h + d] as number) : (qkv[(b * s + j - p) * 3 * hidden + (part + 1) * hidden + head * h + d] as number);
          }
        }
        if (present) present.set(dst, ((part * g.batch + b) * n + head) * t * h);
      }
      const [k, v] = kv as [Float32Array, Float32Array];
      for (let i = 0; i < s; i++) {
        const q = (b * s + i) * 3 * hidden + head * h;
        for (let j = 0; j < t; j++) {
          const cell = cells ? cells[(b * s + i) * t + j] : undefined;
          const scaled = mlasSgemmChain(qkv, q, 1, k, j * h, 1, h, alpha, qkStrideK);
          row[j] = cell === undefined ? scaled : f32Add(scaled, cell === MASK_CAUSAL ? FLOAT_LOWEST : cell === MASK_FILTER ? MASK_FILTER_VALUE : 0);
        }
        mlasSoftmaxRow(row, a.softmaxKernel);
        if (nRoute) probs.set(row, i * t);
        // probs V: sequence 1 is MLAS's M = 1 route (MlasSgemmKernelM1Avx), head size 1 its N = 1 route (below), else the fma chain
        else for (let d = 0; d < h; d++) out[(b * s + i) * hidden + head * h + d] = s === 1 ? mlasSgemmM1(row, 0, 1, v, d, h, t) : mlasSgemmChain(row, 0, 1, v, d, h, t, 1, pvStrideK);
      }
      if (nRoute) mlasSgemmM1TransposeBRows(v, 0, 1, probs, 0, t, 1, t, s).forEach((y, i) => (out[(b * s + i) * hidden + head] = y));
    }
  }
  return { y: f32Tensor(g.outShape, out), present: present && g.presentShape ? f32Tensor(g.presentShape, present) : null };
}
