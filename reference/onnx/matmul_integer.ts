/**
 * matmul_integer@1, exact reference: ONNX MatMulInteger as onnxruntime 1.30 computes it
 * (onnxruntime/core/providers/cpu/quantization/matmul_integer.cc: MlasGemmBatch into the int32 output,
 * a_zero_point one value, b_zero_point per tensor or per column). Each output is the GEMM accumulator of
 * int_gemm.ts wrapped to int32 (MLAS's int32 adds). Exact integers (bigint).
 */
import { checkMatMulInteger } from '../../contract/onnx_matmul_checks.js';
import type { MatMulIntegerArgs } from '../../contract/onnx_qops.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { wrapInt32 } from '../exact/x86_conversions.js';
import { gemmAccumulator, zeroPoints } from './int_gemm.js';

/** MatMulInteger::Compute (onnxruntime/core/providers/cpu/quantization/matmul_integer.cc): gemmAccumulator per output, wrapped to int32. */
export function matmulInteger(a: MatMulIntegerArgs): IntTensor {
  const g = checkMatMulInteger(a);
  const o = { a: a.a.data, b: a.b.data, ...zeroPoints(g, a.aZeroPoint?.data ?? null, a.bZeroPoint?.data ?? null) };
  const out = new Int32Array(g.batches.length * g.m * g.n);
  for (const batch of g.batches) {
    for (let i = 0; i < g.m; i++) {
      for (let j = 0; j < g.n; j++) out[batch.yOffset + i * g.n + j] = Number(wrapInt32(gemmAccumulator(g, o, batch, i, j, a.accumulator)));
    }
  }
  return intTensor('int32', g.outShape, out);
}
