/**
 * XNNPACK's requantization scale, shared by xnnpack-rndnu@1 and xnnpack-fp32@1.
 * Source (requantization-schemes.md §8): src/operators/convolution-nhwc.c:
 * requantization_scale = input_scale * kernel_scale / output_scale in float32, left to right; >= 256 is
 * xnn_status_unsupported_parameter.
 */
import { QconformError } from '../../contract/errors.js';
import { toNumber } from '../exact/ieee_bits.js';
import { type IeeeValue, exactValue } from '../exact/ieee_value.js';
import { Rational } from '../exact/rational.js';
import type { ChannelQuant } from './types.js';
import { f32OutputScale } from './float_scale.js';

const LIMIT = Rational.fromInt(256);

/** requantization_scale = f32(f32(input_scale * kernel_scale) / output_scale) (float32, left to right); >= 256 refused as XNNPACK does. */
export function xnnpackScale(c: ChannelQuant): IeeeValue {
  const scale = f32OutputScale(c);
  if (!exactValue(scale).lt(LIMIT)) throw new QconformError('unsupported_by_scheme', 'quantized_conv2d: XNNPACK requantization scale', toNumber(scale), 'must be < 256');
  return scale;
}
