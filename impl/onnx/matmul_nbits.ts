/**
 * matmul_nbits@1, fast twin of reference/onnx/matmul_nbits.ts (ORT 1.30 com.microsoft MatMulNBits, float compute):
 * b = f32(float(q - zp) * scale) per block, then per output a zeroed fused-multiply-add chain over K (in kStride
 * slices), each slice added into C, which starts as the bias (or the first slice). f32Fma rounds once. A single row
 * of a takes the M1 kernels (matmul_nbits_m1.ts).
 */
import { checkMatMulNBits } from '../../contract/matmul_nbits_checks.js';
import type { MatMulNBitsArgs } from '../../contract/onnx_qops.js';
import { type F32Tensor, f32Tensor } from '../../contract/tensor.js';
import { f32Add, f32Fma } from '../float32.js';
import { dequantizeLinearValue } from '../quantize_linear.js';
import { matmulNBitsM1 } from './matmul_nbits_m1.js';

export function matmulNBits(args: MatMulNBitsArgs): F32Tensor {
  const g = checkMatMulNBits('matmul_nbits', args);
  if (g.m1) return f32Tensor(g.outShape, matmulNBitsM1(args, g));
  const { rows, k, n, kBlocks, blockSize, kStride } = g;
  const scales = args.scales.data;
  const b = new Float32Array(n * k);
  for (let j = 0; j < n; j++) {
    for (let x = 0; x < k; x++) {
      const block = j * kBlocks + Math.floor(x / blockSize);
      b[j * k + x] = dequantizeLinearValue(g.codes[j * k + x] as number, g.zeroPoints[block] as number, scales[block] as number);
    }
  }
  const a = args.a.data;
  const bias = args.bias?.data ?? null;
  const y = new Float32Array(rows * n);
  for (let m = 0; m < rows; m++) {
    for (let j = 0; j < n; j++) {
      let c = bias ? (bias[j] as number) : Number.NaN;
      for (let k0 = 0; k0 < k; k0 += kStride) {
        let s = 0;
        const end = Math.min(k, k0 + kStride);
        for (let x = k0; x < end; x++) s = f32Fma(a[m * k + x] as number, b[j * k + x] as number, s);
        c = k0 === 0 && !bias ? s : f32Add(s, c);
      }
      y[m * n + j] = c;
    }
  }
  return f32Tensor(g.outShape, y);
}
