/**
 * One row of MlasComputeSoftmax (onnxruntime/core/mlas/lib/compute.cpp MlasComputeSoftmaxThreaded, LogSoftmax false)
 * on x86-64, exact, for finite float32 inputs x_0..x_{D-1}:
 *   max  = the largest x_j (MlasReduceMaximumF32Kernel; exact whatever the order)
 *   e_j  = the sum-of-exponentials kernel's exp of f32(x_j + (-max)), see mlasSumExp below
 *   sum  = the kernel's lane sums, then its horizontal reduction (the order below)
 *   y_j  = f32(e_j * f32(1 / sum))                    MlasComputeSoftmaxOutputF32Kernel: vmulps by the reciprocal
 * The sum-of-exponentials kernel, x86_64/TransKernelFma3.S MlasComputeSumExpF32KernelFma3 and
 * x86_64/TransKernelAvx512F.S MlasComputeSumExpF32KernelAvx512F (the constants: compute.cpp MlasExpConstants),
 * for one element x (float32, each fma one rounding):
 *   v      = maxps(lower, x)      clamp below: fma3 at LowerRangeSumExp -88.3762626647949f, avx512f at LowerRange
 *                                  -103.9720840454f (TransKernelAvx512F.S loads .LExpConstants_LowerRange; measured:
 *                                  ORT 1.30 on AVX-512 gives subnormal and zero exponentials for gaps beyond 88.4)
 *   biased = fma(v, Log2Reciprocal, RoundingBias)                 RoundingBias = 1.5 * 2^23: rounds v / ln 2 to an integer
 *   m      = f32(biased - RoundingBias)                           exact: an integer in [-127, 0] (avx512f [-150, 0])
 *   v      = fma(m, Log2High, v); v = fma(m, Log2Low, v)          Cody-Waite range reduction
 *   p      = poly_0; p = fma(p, v, c) for c = poly_1 .. poly_4, poly_56, poly_56
 *   fma3:    e = f32(p * bits((bits(biased) << 23) + 0x3F800000))  2^m from exponent bits (int32 arithmetic, wrapping);
 *            at m = -127 the scale is +0.0, so e = 0
 *   avx512f: e = vscalefps(p, m) = f32(p * 2^m)                   one rounding (subnormal below m = -126, 0 near m = -150)
 * Lanes: element j adds into lane j mod W in element order, from +0 (W = 8 for fma3, 16 for avx512f; the 24- and
 * 48-element loops add their vectors in order, a partial vector adds zeros or nothing). Reduction: avx512f first
 * folds the upper 8 lanes onto the lower (b_j = a_{j+8} + a_j); then ((b_0 + b_1) + (b_2 + b_3)) + ((b_4 + b_5) +
 * (b_6 + b_7)) (two vhaddps and a vaddss of the 128-bit halves).
 */
import type { SoftmaxKernel } from '../../contract/onnx_qops.js';
import { f32Add, f32Div, f32Fma, f32Mul, f32Sub, ieeeNeg, intToF32 } from '../exact/float_arith.js';
import { f32HexLiteral, f32Literal } from '../exact/f32_literal.js';
import { decodeBits, encodeBits } from '../exact/ieee_bits.js';
import { ieeeLess, maxps } from '../exact/ieee_compare.js';
import { BINARY32, type IeeeValue, exactValue, finite } from '../exact/ieee_value.js';
import { Rational } from '../exact/rational.js';

/** MlasExpConstants (compute.cpp), the members the sum-of-exponentials kernels read. */
export const MLAS_EXP_CONSTANTS = {
  lowerRange: f32Literal(-1039720840454n, -10), // -103.9720840454f
  lowerRangeSumExp: f32Literal(-883762626647949n, -13), // -88.3762626647949f
  roundingBias: f32Literal(12582912n, 0), // MLAS_ROUNDING_BIAS_MAGIC, 12582912.f
  log2Reciprocal: f32Literal(144269504088896341n, -17), // 1.44269504088896341f
  log2High: f32Literal(-693145752n, -9), // -6.93145752e-1f
  log2Low: f32Literal(-142860677n, -14), // -1.42860677e-6f
  poly0: f32HexLiteral(0x1694000n, -34), // 0x1.694000p-10
  poly1: f32HexLiteral(0x1125edcn, -31), // 0x1.125edcp-7
  poly2: f32HexLiteral(0x1555b5an, -29), // 0x1.555b5ap-5
  poly3: f32HexLiteral(0x1555450n, -27), // 0x1.555450p-3
  poly4: f32HexLiteral(0x1fffff6n, -26), // 0x1.fffff6p-2
  poly56: f32HexLiteral(0x1000000n, -24), // 0x1.000000p+0
  maximumExponent: 0x3f800000n,
} as const;

/** The lane count of each kernel's accumulator vector. */
export const SOFTMAX_KERNEL_LANES: Record<SoftmaxKernel, number> = { fma3: 8, avx512f: 16 };

/** The kernel's exp of one biased element x = f32(x_j - max). */
export function mlasSumExpElement(x: IeeeValue, kernel: SoftmaxKernel): IeeeValue {
  const c = MLAS_EXP_CONSTANTS;
  let v = maxps(kernel === 'avx512f' ? c.lowerRange : c.lowerRangeSumExp, x);
  const biased = f32Fma(v, c.log2Reciprocal, c.roundingBias);
  const m = f32Sub(biased, c.roundingBias);
  v = f32Fma(m, c.log2High, v);
  v = f32Fma(m, c.log2Low, v);
  let p = c.poly0;
  for (const k of [c.poly1, c.poly2, c.poly3, c.poly4, c.poly56, c.poly56]) p = f32Fma(p, v, k);
  if (kernel === 'avx512f') return f32Mul(p, finite(Rational.pow2(Number(exactValue(m).floor()))));
  const scaleBits = (((encodeBits(biased, BINARY32) << 23n) + c.maximumExponent) & 0xffffffffn) as bigint;
  return f32Mul(p, decodeBits(scaleBits, BINARY32));
}

/** The kernel's horizontal reduction of its lane accumulators (see the file comment). */
function reduceLanes(lanes: readonly IeeeValue[]): IeeeValue {
  const b = lanes.length === 16 ? Array.from({ length: 8 }, (_, j) => f32Add(lanes[j + 8]!, lanes[j]!)) : lanes;
  const pair = (i: number) => f32Add(b[i]!, b[i + 1]!);
  return f32Add(f32Add(pair(0), pair(2)), f32Add(pair(4), pair(6)));
}

/** MlasComputeSoftmax on one row of finite float32 values. */
export function mlasSoftmaxRow(row: readonly IeeeValue[], kernel: SoftmaxKernel): IeeeValue[] {
  let max = row[0]!;
  for (const x of row) if (ieeeLess(max, x)) max = x;
  const negativeMaximum = ieeeNeg(max);
  const e = row.map((x) => mlasSumExpElement(f32Add(x, negativeMaximum), kernel));
  const lanes: IeeeValue[] = Array.from({ length: SOFTMAX_KERNEL_LANES[kernel] }, () => finite(Rational.ZERO));
  e.forEach((v, j) => {
    lanes[j % lanes.length] = f32Add(lanes[j % lanes.length]!, v);
  });
  const scale = f32Div(intToF32(1n), reduceLanes(lanes));
  return e.map((v) => f32Mul(v, scale));
}
