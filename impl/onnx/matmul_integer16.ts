/**
 * matmul_integer16@1, fast twin of reference/onnx/matmul_integer16.ts (ORT 1.30 MatMulInteger16, EigenCastGEMM): the
 * int32 sum of int16 products, wrapped at every step (a product is at most 2^30, so each `(acc + p) | 0` is exact
 * modulo 2^32 and the result is the wrapped exact sum).
 */
import { checkMatMulInteger16 } from '../../contract/matmul_integer16_checks.js';
import type { MatMulInteger16Args } from '../../contract/onnx_qops.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';

export function matmulInteger16(a: MatMulInteger16Args): IntTensor {
  const g = checkMatMulInteger16(a);
  const A = a.a.data;
  const B = a.b.data;
  const out = new Int32Array(g.batches.length * g.m * g.n);
  for (const batch of g.batches) {
    for (let i = 0; i < g.m; i++) {
      const row = batch.aOffset + i * g.aStrideM;
      for (let j = 0; j < g.n; j++) {
        let acc = 0;
        for (let k = 0; k < g.k; k++) acc = (acc + A[row + k * g.aStrideK]! * B[batch.bOffset + k * g.bStrideK + j * g.bStrideN]!) | 0;
        out[batch.yOffset + i * g.n + j] = acc;
      }
    }
  }
  return intTensor('int32', g.outShape, out);
}
