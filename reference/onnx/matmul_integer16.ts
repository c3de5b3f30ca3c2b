/**
 * matmul_integer16@1, exact reference: com.microsoft MatMulInteger16 as onnxruntime 1.30 computes it
 * (onnxruntime/contrib_ops/cpu/quantization/matmul_integer16.cc): per GEMM of MatMulComputeHelper's batches,
 * EigenCastGEMM<int16_t, int16_t, int32_t> (core/util/math_cpuonly.h): both operands cast to int32, then Eigen's int32
 * matrix product. Each int16 x int16 product is exact in int32 (at most 2^30); the sum over K runs in int32 and wraps
 * (x86 integer adds; the order Eigen chooses cannot matter, addition modulo 2^32 being associative). So: the exact
 * integer sum (bigint), wrapped to int32 once.
 */
import { checkMatMulInteger16 } from '../../contract/matmul_integer16_checks.js';
import type { MatMulInteger16Args } from '../../contract/onnx_qops.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { wrapInt32 } from '../exact/x86_conversions.js';

/** MatMulInteger16<int16_t, int16_t, int32_t>::Compute (contrib_ops/cpu/quantization/matmul_integer16.cc): the exact sum of int16 products (bigint), wrapped to int32 once. */
export function matmulInteger16(a: MatMulInteger16Args): IntTensor {
  const g = checkMatMulInteger16(a);
  const out = new Int32Array(g.batches.length * g.m * g.n);
  for (const batch of g.batches) {
    for (let i = 0; i < g.m; i++) {
      for (let j = 0; j < g.n; j++) {
        let sum = 0n;
        for (let k = 0; k < g.k; k++) {
          const x = a.a.data[batch.aOffset + i * g.aStrideM + k * g.aStrideK]!;
          const y = a.b.data[batch.bOffset + k * g.bStrideK + j * g.bStrideN]!;
          sum += BigInt(x) * BigInt(y);
        }
        out[batch.yOffset + i * g.n + j] = Number(wrapInt32(sum));
      }
    }
  }
  return intTensor('int32', g.outShape, out);
}
