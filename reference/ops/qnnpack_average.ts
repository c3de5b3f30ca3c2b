/**
 * QNNPACK's average of one window, exact reference: what its average pooling (qnnpack_avg_pool2d@1) and its global
 * average pooling (qnnpack_mean@1) share. The multiplier is pytorch_qnnp_compute_avgpool_quantization_params' scale as
 * qnnpack/src/average-pooling.c and global-average-pooling.c compute it at setup; the output step is the x86 ukernels'
 * (src/q8avgpool/*-sse2.c, src/q8gavgpool/*-sse2.c: cvtepi32_ps, mul_ps, cvtps_epi32, packs_epi32, adds_epi16 of the
 * zero point, packus_epi16, then the output bounds 0 and 255 that torch passes).
 */
import { f32Div, f32Mul, intToF32, toF32 } from '../exact/float_arith.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import { clampInt, cvtps2dq } from '../exact/x86_conversions.js';

/**
 * m = f32(f32(s) / f32(f32(s) f32(count))): input_scale / (output_scale * pooling size) with the input's float32 scale
 * as both (float32 domain: each operation rounded once to nearest even).
 */
export function qnnpackAverageMultiplier(scale: number, count: number): IeeeValue {
  const s = toF32(fromFloat64(scale));
  return f32Div(s, f32Mul(s, intToF32(BigInt(count))));
}

/**
 * y = clamp(cvtps2dq(f32(f32(acc) m)) + z, 0, 255) for the window's int32 accumulator acc (the sum of x - z over it):
 * acc converted to float32 (half to even), one float32 product, cvtps2dq (half to even), then the zero point and the
 * clamp in integers. The ukernels' int16 saturations never bite: |f32(acc) m| stays within 256.
 */
export function qnnpackAverageOutput(acc: bigint, m: IeeeValue, z: bigint): bigint {
  return clampInt(cvtps2dq(f32Mul(intToF32(acc), m)) + z, 0n, 255n);
}
