/**
 * One row of MlasComputeSoftmax with the sum-of-exponentials kernel `kernel`, fast twin of
 * reference/onnx/mlas_softmax.ts (mlas/lib/compute.cpp, x86_64/TransKernelFma3.S, TransKernelAvx512F.S): exp by
 * MLAS's polynomial with float32 fmas, lane sums in element order, the kernel's horizontal reduction, then y = e * (1 / sum).
 */
import type { SoftmaxKernel } from '../../contract/onnx_qops.js';
import { f32Add, f32Div, f32Fma, f32Mul } from '../float32.js';

/** MlasExpConstants (compute.cpp) as float32; tests check them against the exact roundings of the C literals. */
export const MLAS_EXP_F32 = {
  lowerRange: Math.fround(-103.9720840454),
  lowerRangeSumExp: Math.fround(-88.3762626647949),
  roundingBias: 12582912,
  log2Reciprocal: Math.fround(1.44269504088896341),
  log2High: Math.fround(-6.93145752e-1),
  log2Low: Math.fround(-1.42860677e-6),
  poly0: 0x1694000 * 2 ** -34,
  poly1: 0x1125edc * 2 ** -31,
  poly2: 0x1555b5a * 2 ** -29,
  poly3: 0x1555450 * 2 ** -27,
  poly4: 0x1fffff6 * 2 ** -26,
  poly56: 1,
  maximumExponent: 0x3f800000,
} as const;

const BOX = new Float32Array(1);
const BITS = new Int32Array(BOX.buffer);

export function mlasSumExpElement(x: number, kernel: SoftmaxKernel): number {
  const c = MLAS_EXP_F32;
  // the fma3 kernel clamps at LowerRangeSumExp, the avx512f one at LowerRange (vscalefps reaches subnormals and 0)
  const lower = kernel === 'avx512f' ? c.lowerRange : c.lowerRangeSumExp;
  let v = lower > x ? lower : x; // maxps(lower, x)
  const biased = f32Fma(v, c.log2Reciprocal, c.roundingBias);
  const m = biased - c.roundingBias; // exact
  v = f32Fma(m, c.log2High, v);
  v = f32Fma(m, c.log2Low, v);
  let p = c.poly0;
  p = f32Fma(p, v, c.poly1);
  p = f32Fma(p, v, c.poly2);
  p = f32Fma(p, v, c.poly3);
  p = f32Fma(p, v, c.poly4);
  p = f32Fma(p, v, c.poly56);
  p = f32Fma(p, v, c.poly56);
  if (kernel === 'avx512f') return Math.fround(p * 2 ** m); // vscalefps: p * 2^m is exact in binary64, one rounding
  BOX[0] = biased;
  BITS[0] = ((BITS[0] as number) << 23) + c.maximumExponent;
  return f32Mul(p, BOX[0] as number);
}

const LANES: Record<SoftmaxKernel, number> = { fma3: 8, avx512f: 16 };

/** MlasComputeSoftmax on one row of finite float32 values (in place). */
export function mlasSoftmaxRow(row: Float32Array, kernel: SoftmaxKernel): void {
  let max = row[0] as number;
  for (const x of row) if (x > max) max = x;
  const lanes = new Array<number>(LANES[kernel]).fill(0);
  for (let j = 0; j < row.length; j++) {
    const e = mlasSumExpElement(Math.fround((row[j] as number) - max), kernel);
    row[j] = e;
    lanes[j % lanes.length] = f32Add(lanes[j % lanes.length] as number, e);
  }
  const b = lanes.length === 16 ? Array.from({ length: 8 }, (_, j) => f32Add(lanes[j + 8] as number, lanes[j] as number)) : lanes;
  const pair = (i: number) => f32Add(b[i] as number, b[i + 1] as number);
  const scale = f32Div(1, f32Add(f32Add(pair(0), pair(2)), f32Add(pair(4), pair(6))));
  for (let j = 0; j < row.length; j++) row[j] = f32Mul(row[j] as number, scale);
}
