/**
 * matmul_nbits@1, exact reference: com.microsoft MatMulNBits with float32 A as ONNX Runtime 1.30 computes it on x86-64
 * (contrib_ops/cpu/quantization/matmul_nbits.cc; the route per request in contract/matmul_nbits_checks.ts), on the
 * float-compute routes (accuracy_level 0-3, and any other but 4), at least 2 rows identical on AVX-512 and on AVX2 (Haswell); a single row
 * takes MLAS's M1 kernels (matmul_nbits_m1.ts):
 *   - b[n][k] = f32(float(q[n][k] - zp[n][k / block_size]) * scale[n][k / block_size])    one float32 product
 *     (MLAS's blockwise dequantization: Q4BitBlkDequantBForSgemm_CompFp32 for bits 4, MlasDequantizeBlockwise for 2 and 8;
 *     the code minus the zero point is an exact small integer)
 *   - the SGEMM kernel (SgemmKernelAvx512F / SgemmKernelFma3) keeps one accumulator register per output, zeroed, and
 *     adds every product with a fused multiply-add, k ascending: s = fma(a[m][k], b[n][k], s), one rounding each
 *   - bits 4 (SQ4BitGemm_CompFp32, mlas/lib/qnbitgemm.cpp): one chain over all of K, then y = f32(s + bias[n])
 *     (AddBiasForGemm); bits 2 and 8 (ComputeBUnpacked, MlasSgemmOperation in mlas/lib/sgemm.cpp): one chain per
 *     K slice of kStride, each slice's s added into C (C starts as the bias, beta = 1, or takes the first slice's s):
 *     C = f32(s + C), as the kernel's add mode (fma(s, alpha = 1, C)) rounds it
 * Every float32 step by bit decomposition, rounded once on rationals (ieeeFma for the fused steps). Intermediate
 * overflow follows IEEE: inf, and the x86 default NaN (0xffc00000) for inf - inf, which every later step propagates.
 */
import { checkMatMulNBits } from '../../contract/matmul_nbits_checks.js';
import type { MatMulNBitsArgs } from '../../contract/onnx_qops.js';
import type { F32Tensor } from '../../contract/tensor.js';
import { f32Add, f32Fma } from '../exact/float_arith.js';
import { fromFloat32 } from '../exact/ieee_bits.js';
import { type IeeeValue } from '../exact/ieee_value.js';
import { dequantizeLinearValue } from '../ops/quantize_linear.js';
import { matmulNBitsM1 } from './matmul_nbits_m1.js';
import { toF32Tensor } from '../values.js';
import { ZERO_F32 as POSITIVE_ZERO } from '../constants.js';


/** MatMulNBits<T1>::Compute, T1 = float (contrib_ops/cpu/quantization/matmul_nbits.cc), float-compute routes: blockwise dequantization (float32 products), FMA chains per K slice and the bias adds, each rounded once via reference/exact. */
export function matmulNBits(args: MatMulNBitsArgs): F32Tensor {
  const g = checkMatMulNBits('matmul_nbits', args);
  if (g.m1) return toF32Tensor(g.outShape, matmulNBitsM1(args, g));
  const { rows, k, n, kBlocks, blockSize, kStride } = g;
  const scales = Array.from(args.scales.data, fromFloat32);
  const b: IeeeValue[] = new Array(n * k);
  for (let j = 0; j < n; j++) {
    for (let x = 0; x < k; x++) {
      const block = j * kBlocks + Math.floor(x / blockSize);
      b[j * k + x] = dequantizeLinearValue(BigInt(g.codes[j * k + x] as number), BigInt(g.zeroPoints[block] as number), scales[block]!);
    }
  }
  const a = Array.from(args.a.data, fromFloat32);
  const bias = args.bias ? Array.from(args.bias.data, fromFloat32) : null;
  const y: IeeeValue[] = new Array(rows * n);
  for (let m = 0; m < rows; m++) {
    for (let j = 0; j < n; j++) {
      let c: IeeeValue | null = bias ? bias[j]! : null;
      for (let k0 = 0; k0 < k; k0 += kStride) {
        let s = POSITIVE_ZERO;
        for (let x = k0; x < Math.min(k, k0 + kStride); x++) s = f32Fma(a[m * k + x]!, b[j * k + x]!, s);
        c = c === null ? s : f32Add(s, c);
      }
      y[m * n + j] = c!;
    }
  }
  return toF32Tensor(g.outShape, y);
}
