/**
 * The accumulator of ONNX Runtime 1.30's MLAS u8s8 AVX2 path (contract/conv.ts `sat16_pairs_im2col`): x86-64
 * with AVX2 and without AVX-VNNI / AVX512-VNNI, uint8 activations x int8 weights, non-depthwise convs (and depthwise ones whose weight zero points differ). It
 * mirrors, for one output position of group g (verified against onnxruntime-node 1.30.0 under
 * qemu-x86_64-static -cpu Haswell):
 *   - the row: onnxruntime/core/providers/cpu/quantization/qlinearconv.cc transposes x to NHWC and runs
 *     `Im2col<uint8_t, StorageOrder::NHWC>` with padding value X_zero_point_value (a 1x1 stride-1 unpadded conv
 *     reads the NHWC input directly, same order); ReorderFilter puts the weights in the same K order:
 *     k = (kh KW + kw) Cg + icg, channel innermost. `windowTaps` yields exactly this order.
 *   - the products: MlasGemmU8S8KernelAvx2 (mlas/lib/x86_64/QgemmU8X8KernelAvx2.S, MultiplyAccumulateRowU8S8Avx2,
 *     with the packing of QgemmU8S8KernelAvx2.S) and MlasConvSymKernelAvx2 (mlas/lib/x86_64/ConvSymKernelAvx2.S,
 *     driven by mlas/lib/convsym.cpp): vpmaddubsw multiplies the raw unsigned activation bytes by the raw signed
 *     weight bytes and adds the pairs (2j, 2j+1) of k with int16 saturation; K is zero-padded to a multiple of 4,
 *     so an odd K pairs its last element with 0; vpmaddwd by 1 and vpaddd accumulate in int32.
 *   - the zero points: the GEMM's row sums (sum a, padding included) and column sums (sum w) enter exactly
 *     (mlas/lib/qgemm.h MlasGemmQuantScaleSumBuffer: -z_x sum w, -z_w (sum a - K z_x)); ConvSym has z_w = 0 and
 *     folds -z_x sum w into its bias (MlasConvSymFixupInputZeroPoint leaves z_x unchanged on AVX2).
 *       S   = sum_j sat16(a[2j] w[2j] + a[2j+1] w[2j+1])     a = x, or z_x on a padded tap; raw w
 *       acc = S - z_w sum a - z_x sum w + K z_x z_w
 * Arithmetic domain: exact integers (bigint); each pair is saturated to int16 (the one non-ring step); the rest
 * is exact here and wraps to int32 in the caller (int32Policy 'wrap'), which equals MLAS's int32 wrap of every
 * addition because those additions are ring operations mod 2^32.
 */
import type { Conv2dArgs } from '../../contract/conv.js';
import type { ConvGeometry } from '../../contract/conv_checks.js';
import { sat16PairsDot } from './sat16_pairs_dot.js';
import type { Tap } from './window.js';

/** The `sat16_pairs_im2col` accumulator of one output: S - z_w sum a - z_x sum w + K z_x z_w over MLAS's im2col row, exact bigint (int16 saturation per pair; the caller wraps to int32). */
export function sat16PairsIm2colAccumulator(a: Conv2dArgs, g: ConvGeometry, oc: number, taps: readonly Tap[]): bigint {
  const zx = BigInt(a.xZeroPoint);
  const zw = BigInt(a.weightZeroPoints.data[g.perChannel ? oc : 0] as number);
  const activation = (t: Tap): bigint => (t.xIndex < 0 ? zx : BigInt(a.x.data[t.xIndex] as number)); // Im2col's padding value is z_x
  const weight = (t: Tap): bigint => BigInt(a.weight.data[t.wIndex] as number);
  return sat16PairsDot(taps.length, (k) => activation(taps[k]!), (k) => weight(taps[k]!), zx, zw);
}
