/**
 * XNNPACK's requantization scale, shared by xnnpack-rndnu@1 and xnnpack-fp32@1.
 * Source (requantization-schemes.md §8): src/operators/convolution-nhwc.c:
 * requantization_scale = input_scale * kernel_scale / output_scale in float32, left to right; >= 256 is
 * xnn_status_unsupported_parameter.
 */
import { QconformError } from '../../contract/errors.js';
import { f32Div, f32Mul, toF32 } from '../exact/float_arith.js';
import { toNumber } from '../exact/ieee_bits.js';
import { type IeeeValue, exactValue } from '../exact/ieee_value.js';
import { Rational } from '../exact/rational.js';
import type { ChannelQuant } from './types.js';

const LIMIT = Rational.fromInt(256);

export function xnnpackScale(c: ChannelQuant): IeeeValue {
  const scale = f32Div(f32Mul(toF32(c.xScale), toF32(c.wScale)), toF32(c.yScale));
  if (!exactValue(scale).lt(LIMIT)) throw new QconformError('unsupported_by_scheme', 'quantized_conv2d: XNNPACK requantization scale', toNumber(scale), 'must be < 256');
  return scale;
}
