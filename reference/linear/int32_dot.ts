/**
 * The int32 accumulator of one output of the dynamic linears' integer GEMMs without pair saturation (qnnpack's
 * q8gemm_dq SSE2 kernel, oneDNN's VNNI gemm / brgemm): sum_k (q[k] - z_x)(w[k] - z_w) with every addition an int32
 * add that wraps. Exact bigint products; wrapping each partial sum equals wrapping the exact sum once (addition mod
 * 2^32 is a ring operation), which is what is computed here.
 */
import { wrapInt32 } from '../exact/x86_conversions.js';

/** wrap32(sum_k (q(k) - zx)(w(k) - zw)) over k in [0, K). */
export function int32WrapDot(k: number, q: (i: number) => bigint, w: (i: number) => bigint, zx: bigint, zw: bigint): bigint {
  let acc = 0n;
  for (let j = 0; j < k; j++) acc += (q(j) - zx) * (w(j) - zw);
  return wrapInt32(acc);
}
