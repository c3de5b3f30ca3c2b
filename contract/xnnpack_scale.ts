/**
 * Which float32 requantization scales the two XNNPACK schemes take, one rule for reference/ and impl/ (each computes the
 * scale, f32(f32(s_x * s_w) / s_y), in its own domain: reference/requant/xnnpack_scale.ts exactly, impl/requant/
 * xnnpack_scale.ts in float32, and passes its float32 value here, +inf included). XNNPACK 2022-02-16 (ae108ef, Debian's
 * libxnnpack 0.0~git20220216, built with assertions):
 *   - src/operators/convolution-nhwc.c xnn_create_convolution2d_nhwc_qs8/qc8/qu8 first refuse an input, kernel (each
 *     channel's, for qc8) or output scale, each the float32 the caller passes (the wire's float64 rounded to nearest),
 *     with `scale <= 0.0f || !isnormal(scale)` (xnn_status_invalid_parameter), in that order and before the output
 *     range and the requantization scale: a scale whose float32 is subnormal, 0 or +inf (x_scale 2^-133, 1e-46, 1e39)
 *     is refused whatever the requantization scale (assertXnnpackScalesNormal; measured on the native adapter);
 *   - src/operators/convolution-nhwc.c refuses requantization_scale >= 256.0f (xnn_status_unsupported_parameter): a
 *     scale that overflowed float32 to +inf too (s_y = 2^-149, s_x s_w >= 2^-22);
 *   - below that, the per-tensor operators (qs8: qint8 with per_tensor weights; qu8: quint8) pass the scale to a params
 *     initializer of src/params-init.c that asserts scale >= 0x1.0p-32f and aborts the process: on x86
 *     xnn_init_qs8/qu8_conv_minmax_fp32_{sse2,sse4,avx2,avx512}_params (xnnpack-fp32@1), on arm64
 *     xnn_init_qs8/qu8_conv_minmax_rndnu_neon_params (xnnpack-rndnu@1). A subnormal or 0 scale (s_x s_w underflowed)
 *     is below it too. Measured on the adapter before it pre-checked the scale (conformance/backends/native/
 *     xnnpack_backend.cpp): SIGABRT at 2^-33 and 0, in the avx512 initializers on this host, avx2 under
 *     qemu Haswell, qs8 sse4 / qu8 sse2 under qemu Nehalem, rndnu_neon under qemu arm64. Both schemes refuse a
 *     per-tensor scale below 2^-32;
 *   - the per-channel operator (qc8: qint8 with per_channel weights) packs its scales with xnn_init_qc8_scale_fp32_params
 *     and builds its params with xnn_init_qs8_minmax_*_params, neither of which reads or asserts a scale: xnnpack-fp32@1
 *     computes any per-channel scale below 256, 0 included (lrintf of a float32 product), as XNNPACK does (measured at
 *     2^-33). xnnpack-rndnu@1 keeps the 2^-32 floor per channel too: it is what the rndnu initializer needs to have a
 *     defined shift (a release build goes on with a shift > 55), and on arm64 XNNPACK runs qc8 as fp32.
 */
import { QconformError } from './errors.js';
import { isPositiveNormalFloat32 } from './float_bits.js';

const XNNPACK_SCALE_LIMIT = 256;
const XNNPACK_MIN_SCALE = 2 ** -32;

/**
 * Throws unsupported_by_scheme when `scheme` does not take the float32 requantization scale `scale` (NaN and +inf
 * refused) of a conv whose weights are per-channel (`perChannel`) or per-tensor.
 */
export function assertXnnpackScale(scheme: 'xnnpack-fp32@1' | 'xnnpack-rndnu@1', scale: number, perChannel: boolean): void {
  if (!(scale < XNNPACK_SCALE_LIMIT)) {
    throw new QconformError('unsupported_by_scheme', 'quantized_conv2d: XNNPACK requantization scale', scale, 'f32(f32(x_scale * w_scale) / y_scale) must be < 256 (convolution-nhwc.c: xnn_status_unsupported_parameter)');
  }
  if (scheme === 'xnnpack-rndnu@1' && !(scale >= XNNPACK_MIN_SCALE)) {
    throw new QconformError('unsupported_by_scheme', 'quantized_conv2d: XNNPACK rndnu scale', scale, 'rndnu takes scales in [2^-32, 256) (params-init.c asserts scale >= 2^-32)');
  }
  if (!perChannel && !(scale >= XNNPACK_MIN_SCALE)) {
    throw new QconformError('unsupported_by_scheme', 'quantized_conv2d: XNNPACK requantization scale', scale, 'per-tensor weights (qs8, qu8) take scales in [2^-32, 256): params-init.c xnn_init_qs8/qu8_conv_minmax_fp32_*_params asserts scale >= 0x1.0p-32f and aborts; per-channel weights (qc8) take any');
  }
}

/**
 * Throws unsupported_by_scheme naming the first of x_scale, weight_scales[i], y_scale (XNNPACK's order) whose float32
 * is not a positive normal number: convolution-nhwc.c xnn_create_convolution2d_nhwc_qs8/qc8/qu8 return
 * xnn_status_invalid_parameter for it (both xnnpack schemes; SCHEME_RULES scales 'normal_f32').
 */
export function assertXnnpackScalesNormal(xScale: number, weightScales: ArrayLike<number>, yScale: number): void {
  const refuse = (field: string, value: number): never => {
    throw new QconformError('unsupported_by_scheme', `quantized_conv2d: ${field}`, value, `XNNPACK takes scales whose float32 is normal and positive; this one's is ${Math.fround(value)} (convolution-nhwc.c xnn_create_convolution2d_nhwc_*: scale <= 0.0f || !isnormal(scale) is xnn_status_invalid_parameter)`);
  };
  if (!isPositiveNormalFloat32(xScale)) refuse('x_scale', xScale);
  for (let i = 0; i < weightScales.length; i++) if (!isPositiveNormalFloat32(weightScales[i] as number)) refuse(`weight_scales[${i}]`, weightScales[i] as number);
  if (!isPositiveNormalFloat32(yScale)) refuse('y_scale', yScale);
}
