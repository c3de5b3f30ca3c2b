/** matmul_integer@1, fast twin of reference/onnx/matmul_integer.ts (ORT 1.30 MatMulInteger, matmul_integer.cc). */
import { checkMatMulInteger } from '../../contract/onnx_matmul_checks.js';
import type { MatMulIntegerArgs } from '../../contract/onnx_qops.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { gemmAccumulators, zeroPointsF } from './int_gemm.js';

export function matmulInteger(a: MatMulIntegerArgs): IntTensor {
  const g = checkMatMulInteger(a);
  const o = { a: a.a.data, b: a.b.data, ...zeroPointsF(g, a.aZeroPoint?.data ?? null, a.bZeroPoint?.data ?? null) };
  const out = new Int32Array(g.batches.length * g.m * g.n);
  for (const batch of g.batches) out.set(gemmAccumulators(g, o, batch, a.accumulator), batch.yOffset);
  return intTensor('int32', g.outShape, out);
}
