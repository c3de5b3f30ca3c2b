/**
 * Fast twin of reference/onnx/int_gemm.ts: the int32 accumulators of one GEMM of a (batched) matmul, all
 * outputs at once, on doubles (every partial sum is an integer below 2^53: K <= 2^30 products of |v| <= 2^16),
 * wrapped to int32 by `| 0` (modulo 2^32).
 */
import { type GemmBatch, type MatmulGeometry, bParamIndex } from '../../contract/onnx_matmul_checks.js';
import type { MatmulAccumulator } from '../../contract/onnx_qops.js';
import type { IntData } from '../../contract/tensor.js';
import { sat16PairSum } from './sat16_pair_sum.js';

export interface GemmOperandsF {
  readonly a: IntData;
  readonly b: IntData;
  readonly za: number;
  /** one zero point per column (per-tensor ones repeated), for this batch */
  readonly zb: (batch: GemmBatch) => Float64Array;
}

/** The one-element zero point (0 when absent) and b's zero point per output column of a batch, each read through bParamIndex. */
export function zeroPointsF(g: MatmulGeometry, za: IntData | null, zb: IntData | null): Pick<GemmOperandsF, 'za' | 'zb'> {
  const absent = new Float64Array(g.n);
  return {
    za: za?.[0] ?? 0,
    zb: zb ? (batch) => Float64Array.from({ length: g.n }, (_, j) => zb[bParamIndex(g.bPerColumn, batch, j)] as number) : () => absent,
  };
}

/** acc[i * N + j] (int32, wrapped) of one batch, with `bias(i, j)` (C) added before the wrap. */
export function gemmAccumulators(g: MatmulGeometry, o: GemmOperandsF, batch: GemmBatch, model: MatmulAccumulator, bias?: (i: number, j: number) => number): Int32Array {
  const { m, n, k } = g;
  const aRows = new Float64Array(m * k);
  for (let i = 0; i < m; i++) for (let kk = 0; kk < k; kk++) aRows[i * k + kk] = o.a[batch.aOffset + i * g.aStrideM + kk * g.aStrideK] as number;
  const bCols = new Float64Array(n * k);
  for (let j = 0; j < n; j++) for (let kk = 0; kk < k; kk++) bCols[j * k + kk] = o.b[batch.bOffset + kk * g.bStrideK + j * g.bStrideN] as number;
  const zb = o.zb(batch);
  const out = new Int32Array(m * n);
  if (model === 'int32_wrap') {
    for (let x = 0; x < aRows.length; x++) aRows[x] = (aRows[x] as number) - o.za;
    for (let j = 0; j < n; j++) {
      const z = zb[j] as number;
      for (let kk = 0; kk < k; kk++) bCols[j * k + kk] = (bCols[j * k + kk] as number) - z;
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let kk = 0, ai = i * k, bj = j * k; kk < k; kk++) acc += (aRows[ai + kk] as number) * (bCols[bj + kk] as number);
        out[i * n + j] = ((bias ? bias(i, j) : 0) + acc) | 0;
      }
    }
    return out;
  }
  const sumA = new Float64Array(m);
  for (let i = 0; i < m; i++) for (let kk = 0; kk < k; kk++) sumA[i] = (sumA[i] as number) + (aRows[i * k + kk] as number);
  const sumB = new Float64Array(n);
  for (let j = 0; j < n; j++) for (let kk = 0; kk < k; kk++) sumB[j] = (sumB[j] as number) + (bCols[j * k + kk] as number);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const s = sat16PairSum(aRows, i * k, bCols, j * k, k);
      const z = zb[j] as number;
      const acc = s - z * (sumA[i] as number) - o.za * (sumB[j] as number) + k * o.za * z;
      out[i * n + j] = ((bias ? bias(i, j) : 0) + acc) | 0;
    }
  }
  return out;
}
