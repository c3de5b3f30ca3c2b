/**
 * The int32 accumulator of one output (i, j) of one GEMM, as MLAS's integer GEMM forms it
 * (onnxruntime/core/mlas/lib/qgemm.h MlasGemmQuantOperation; the u8 x s8 AVX2 kernel
 * MlasGemmU8S8KernelAvx2 in mlas/lib/x86_64/QgemmU8X8KernelAvx2.S), for the accumulator models of
 * contract/onnx_qops.ts:
 *   - `int32_wrap`: the exact sum_k (A(i, k) - z_a)(B(k, j) - z_b[j]) (vpdpbusd on AVX512-VNNI: exact products;
 *     MLAS's row and column sum corrections are ring operations, so its int32 wrap equals the wrap of this sum);
 *   - `sat16_pairs_im2col`: S = sum_p sat16(A(i, 2p) B(2p, j) + A(i, 2p+1) B(2p+1, j)) over the raw u8 and s8
 *     bytes (vpmaddubsw; an odd K pairs its last element with a zero byte), then the zero-point terms exactly:
 *     acc = S - z_b sum_k A(i, k) - z_a sum_k B(k, j) + K z_a z_b (MlasGemmQuantScaleSumBuffer, the row and column sums).
 * Arithmetic domain: exact integers (bigint), the int16 saturation the one non-ring step; the caller wraps to int32.
 */
import { type MatmulGeometry, type GemmBatch, bParamIndex } from '../../contract/onnx_matmul_checks.js';
import type { MatmulAccumulator } from '../../contract/onnx_qops.js';
import type { IntData } from '../../contract/tensor.js';
import { sat16PairsDot } from '../conv/sat16_pairs_dot.js';
import { exactIntDot } from '../exact/int_dot.js';

export interface GemmOperands {
  readonly a: IntData;
  readonly b: IntData;
  readonly za: bigint;
  /** z_b of output column j of this batch */
  readonly zb: (batch: GemmBatch, j: number) => bigint;
}

/** The accumulator of output (i, j) of one GEMM under `model` (above): exact bigint, int16 saturation per pair for sat16_pairs_im2col; the caller wraps to int32. */
export function gemmAccumulator(g: MatmulGeometry, o: GemmOperands, batch: GemmBatch, i: number, j: number, model: MatmulAccumulator): bigint {
  const av = (k: number) => BigInt(o.a[batch.aOffset + i * g.aStrideM + k * g.aStrideK] as number);
  const bv = (k: number) => BigInt(o.b[batch.bOffset + k * g.bStrideK + j * g.bStrideN] as number);
  const zb = o.zb(batch, j);
  if (model === 'int32_wrap') {
    return exactIntDot(g.k, av, bv, o.za, zb);
  }
  return sat16PairsDot(g.k, av, bv, o.za, zb);
}

/** The one-element zero point of a (0 when absent, as ORT's kernels default it) and a per-column / per-tensor accessor for b's; integer values, no arithmetic. */
export function zeroPoints(g: MatmulGeometry, za: IntData | null, zb: IntData | null): Pick<GemmOperands, 'za' | 'zb'> {
  const zaValue = BigInt(za?.[0] ?? 0);
  if (!zb) return { za: zaValue, zb: () => 0n };
  return { za: zaValue, zb: (batch, j) => BigInt(zb[bParamIndex(g.bPerColumn, batch, j)] as number) };
}
