/**
 * matmul_nbits@1 with a single row of a, fast twin of reference/onnx/matmul_nbits_m1.ts: MLAS's M1 kernels' lanes
 * (lane l takes k = l mod lanes, from +0; bits 4 fma(b, a, acc) over K rounded up to the sub-block with a = 0 past K
 * and the padding codes as b, bits 2/8 f32(acc + f32(a * b))), then the plan's add tree
 * (contract/matmul_nbits_m1_plan.ts) and the bias (or + 0 where the kernel adds it).
 */
import type { MatMulNBitsGeometry } from '../../contract/matmul_nbits_checks.js';
import { m1BlockEnd, sumTree } from '../../contract/matmul_nbits_m1_plan.js';
import type { MatMulNBitsArgs } from '../../contract/onnx_qops.js';
import { f32Add, f32Fma, f32Mul } from '../float32.js';
import { dequantizeLinearValue } from '../quantize_linear.js';

/** y[j] for every column j (the output row). */
export function matmulNBitsM1(args: MatMulNBitsArgs, g: MatMulNBitsGeometry): Float32Array {
  const plan = g.m1!;
  const { k, n, kBlocks, blockSize } = g;
  const a = args.a.data;
  const scales = args.scales.data;
  const bias = args.bias?.data ?? null;
  const padded = kBlocks * blockSize;
  const y = new Float32Array(n);
  const lanes = new Float64Array(plan.lanes); // not a JS array: V8 may canonicalise a NaN stored into one (0xffc00000 -> 0x7fc00000)
  for (let j = 0; j < n; j++) {
    lanes.fill(0);
    for (let k0 = 0; k0 < k; k0 += blockSize) {
      const block = j * kBlocks + k0 / blockSize;
      const [zp, scale] = [g.zeroPoints[block] as number, scales[block] as number];
      const end = m1BlockEnd(plan, k0, k, blockSize);
      for (let x = k0; x < end; x++) {
        const l = x % plan.lanes;
        if (plan.fused) lanes[l] = f32Fma(dequantizeLinearValue(g.paddedCodes[j * padded + x] as number, zp, scale), x < k ? (a[x] as number) : 0, lanes[l] as number);
        else lanes[l] = f32Add(lanes[l] as number, f32Mul(a[x] as number, dequantizeLinearValue(g.codes[j * k + x] as number, zp, scale)));
      }
    }
    const column = plan.columns[j]!;
    const sum = sumTree(column.tree, lanes, f32Add);
    y[j] = bias ? f32Add(sum, bias[j] as number) : column.addsZeroWithoutBias ? f32Add(sum, 0) : sum;
  }
  return y;
}
