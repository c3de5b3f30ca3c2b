/**
 * QNNPACK's average of one window, fast twin of reference/ops/qnnpack_average.ts: what its average pooling
 * (qnnpack_avg_pool2d@1) and global average pooling (qnnpack_mean@1) share, the float32 steps on doubles rounded to
 * float32.
 */
import { clampInt, cvt32, f32Div, f32Mul } from './float32.js';

/** m = f32(f32(s) / f32(f32(s) f32(count))): input_scale / (output_scale * pooling size), count below 2^24 (exact in float32). */
export function qnnpackAverageMultiplier(scale: number, count: number): number {
  const s = Math.fround(scale);
  return f32Div(s, f32Mul(s, count));
}

/** y = clamp(cvtps2dq(f32(f32(acc) m)) + z, 0, 255) for the window's int32 accumulator acc (acc rounded to float32 above 2^24, as cvtdq2ps). */
export function qnnpackAverageOutput(acc: number, m: number, z: number): number {
  return clampInt(cvt32(f32Mul(Math.fround(acc), m)) + z, 0, 255);
}
