/**
 * The input extents a scheme refuses (SCHEME_RULES inputExtents `nonzero`: the xnnpack schemes), one rule for reference/
 * and impl/, each of which checks it right after its scheme's prepare (whose refusals of the requantization scale,
 * contract/xnnpack_scale.ts, come first, as in XNNPACK) and before any arithmetic. XNNPACK 2022-02-16 (ae108ef, Debian's
 * libxnnpack 0.0~git20220216), src/operators/convolution-nhwc.c: xnn_create_convolution2d_nhwc_qs8/qc8/qu8 check the
 * scales, the output range and the requantization scale, then hand the geometry to
 *   - create_convolution2d_nhwc: `group_input_channels == 0` is xnn_status_invalid_parameter ("number of channels must be
 *     non-zero"): C = 0, whatever the height and width;
 *   - and xnn_setup_convolution2d_nhwc_* to setup_convolution2d_nhwc: `input_width == 0 || input_height == 0` is
 *     xnn_status_invalid_parameter ("input dimensions must be non-zero"), before it skips a batch of 0.
 * Without padding an input of height or width 0 has an empty output, refused before (empty_output, contract/
 * conv_checks.ts), as is an empty batch (SCHEME_RULES emptyBatch); with padding the other schemes compute the conv over
 * the padding alone. Measured on the native adapter (conformance/backends/native/xnnpack_backend.cpp,
 * tests/backends/xnnpack_invalid_parameter.test.ts).
 */
import type { RequantScheme } from './conv.js';
import type { ConvGeometry } from './conv_checks.js';
import { SCHEME_RULES } from './conv_schemes.js';
import { QconformError } from './errors.js';

/** Throws unsupported_by_scheme, naming XNNPACK's check, when `scheme` refuses the input extents of the conv of geometry `g`. */
export function assertSchemeInputExtents(scheme: RequantScheme, g: Pick<ConvGeometry, 'n' | 'c' | 'h' | 'w' | 'icg'>): void {
  if (SCHEME_RULES[scheme].inputExtents === 'any') return;
  const refuse = (detail: string): never => {
    throw new QconformError('unsupported_by_scheme', 'quantized_conv2d: x', [g.n, g.c, g.h, g.w], `${scheme}: XNNPACK refuses ${detail} is xnn_status_invalid_parameter)`);
  };
  if (g.icg === 0) refuse('0 input channels per group (C = 0; convolution-nhwc.c create_convolution2d_nhwc: group_input_channels == 0');
  if (g.h === 0 || g.w === 0) refuse(`an input of height or width 0 (H = ${g.h}, W = ${g.w}; convolution-nhwc.c setup_convolution2d_nhwc: input_width == 0 || input_height == 0`);
}
