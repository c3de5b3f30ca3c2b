/**
 * Which float32 requantization scales the two XNNPACK schemes take, one rule for reference/ and impl/ (each computes the
 * scale, f32(f32(s_x * s_w) / s_y), in its own domain: reference/requant/xnnpack_scale.ts exactly, impl/requant/
 * xnnpack_scale.ts in float32, and passes its float32 value here, +inf included):
 *   - XNNPACK 2022-02-16 src/operators/convolution-nhwc.c refuses requantization_scale >= 256.0f
 *     (xnn_status_unsupported_parameter): a scale that overflowed float32 to +inf too (s_y = 2^-149, s_x s_w >= 2^-22);
 *   - xnnpack-rndnu@1 also needs scale >= 2^-32: src/params-init.c xnn_init_qu8_conv_minmax_rndnu_*_params only asserts
 *     scale >= 0x1.0p-32f (a release build goes on with a shift > 55, and a subnormal or 0 scale, s_x s_w underflowed,
 *     has no hidden bit), so qconform refuses what it has no defined answer for.
 * xnnpack-fp32@1 computes any scale below 256 (lrintf of a float32 product; 0 included).
 */
import { QconformError } from './errors.js';

const XNNPACK_SCALE_LIMIT = 256;
const RNDNU_MIN_SCALE = 2 ** -32;

/** Throws unsupported_by_scheme when `scheme` does not take the float32 requantization scale `scale` (NaN and +inf refused). */
export function assertXnnpackScale(scheme: 'xnnpack-fp32@1' | 'xnnpack-rndnu@1', scale: number): void {
  if (!(scale < XNNPACK_SCALE_LIMIT)) {
    throw new QconformError('unsupported_by_scheme', 'quantized_conv2d: XNNPACK requantization scale', scale, 'f32(f32(x_scale * w_scale) / y_scale) must be < 256 (convolution-nhwc.c: xnn_status_unsupported_parameter)');
  }
  if (scheme === 'xnnpack-rndnu@1' && !(scale >= RNDNU_MIN_SCALE)) {
    throw new QconformError('unsupported_by_scheme', 'quantized_conv2d: XNNPACK rndnu scale', scale, 'rndnu takes scales in [2^-32, 256) (params-init.c asserts scale >= 2^-32)');
  }
}
