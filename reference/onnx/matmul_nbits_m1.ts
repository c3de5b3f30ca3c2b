/**
 * matmul_nbits@1 with a single row of a (M = 1), exact: MLAS's M1 vector kernels as ORT 1.30 runs them, in the lane
 * layout and add order of contract/matmul_nbits_m1_plan.ts (which names the kernels: SQ4BitGemmM1Kernel_CompFp32
 * for bits 4, per CPU; MlasSgemmKernelM1TransposeBAvx for bits 2 and 8). Per column j:
 *   - b[k] = f32(float(q[j][k] - zp) * scale)            one float32 product (_mm*_mul_ps after the int -> float
 *     conversion, which is exact for |q - zp| <= 255)
 *   - lane l starts at +0 and takes k = l mod lanes, k ascending: bits 4 acc = fma(b, a, acc) (one rounding), over each
 *     block up to K rounded up to the sub-block, with a = +0 past K and the block's padding codes as b; bits 2 and 8
 *     acc = f32(acc + f32(a * b)) over k < K (the masked tail adds +0 products, which change nothing)
 *   - y = the plan's add tree over the lanes, each add f32(x + y); then f32(y + bias) when there is a bias, else
 *     f32(y + 0) where the kernel adds 0.0f (or C masked to +0)
 * Every float32 step rounded once on rationals; infinities and the x86 default NaN as IEEE gives them.
 */
import type { MatMulNBitsGeometry } from '../../contract/matmul_nbits_checks.js';
import { m1BlockEnd, sumTree } from '../../contract/matmul_nbits_m1_plan.js';
import type { MatMulNBitsArgs } from '../../contract/onnx_qops.js';
import { f32Add, f32Fma, f32Mul } from '../exact/float_arith.js';
import { fromFloat32 } from '../exact/ieee_bits.js';
import { type IeeeValue } from '../exact/ieee_value.js';
import { dequantizeLinearValue } from '../ops/quantize_linear.js';
import { ZERO_F32 as POSITIVE_ZERO } from '../constants.js';


/** y[j] for every column j of the single output row, as above: float32 products, FMA or mul-add lanes and the plan's add tree, each rounded once via reference/exact. */
export function matmulNBitsM1(args: MatMulNBitsArgs, g: MatMulNBitsGeometry): IeeeValue[] {
  const plan = g.m1!;
  const { k, kBlocks, blockSize } = g;
  const a = Array.from(args.a.data, fromFloat32);
  const scales = Array.from(args.scales.data, fromFloat32);
  const bias = args.bias ? Array.from(args.bias.data, fromFloat32) : null;
  const padded = kBlocks * blockSize;
  const b = (j: number, x: number): IeeeValue => {
    const block = j * kBlocks + Math.floor(x / blockSize);
    const code = plan.fused ? g.paddedCodes[j * padded + x]! : g.codes[j * k + x]!;
    return dequantizeLinearValue(BigInt(code), BigInt(g.zeroPoints[block]!), scales[block]!);
  };
  return plan.columns.map((column, j) => {
    const lanes: IeeeValue[] = new Array(plan.lanes).fill(POSITIVE_ZERO);
    for (let k0 = 0; k0 < k; k0 += blockSize) {
      const end = m1BlockEnd(plan, k0, k, blockSize);
      for (let x = k0; x < end; x++) {
        const l = x % plan.lanes;
        lanes[l] = plan.fused ? f32Fma(b(j, x), x < k ? a[x]! : POSITIVE_ZERO, lanes[l]!) : f32Add(lanes[l]!, f32Mul(a[x]!, b(j, x)));
      }
    }
    const y = sumTree(column.tree, lanes, f32Add);
    if (bias) return f32Add(y, bias[j]!);
    return column.addsZeroWithoutBias ? f32Add(y, POSITIVE_ZERO) : y;
  });
}
