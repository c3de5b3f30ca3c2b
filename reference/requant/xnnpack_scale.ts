/**
 * XNNPACK's requantization scale, shared by xnnpack-rndnu@1 and xnnpack-fp32@1.
 * Source (requantization-schemes.md §8): src/operators/convolution-nhwc.c:
 * requantization_scale = input_scale * kernel_scale / output_scale in float32, left to right (reference/exact
 * float32 rounding, so +inf when it overflows); the scales the scheme takes are contract/xnnpack_scale.ts's rule,
 * checked on the float32 value before it is read as a rational.
 */
import { assertXnnpackScale } from '../../contract/xnnpack_scale.js';
import { toNumber } from '../exact/ieee_bits.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import type { ChannelQuant } from './types.js';
import { f32OutputScale } from './float_scale.js';

/** requantization_scale = f32(f32(input_scale * kernel_scale) / output_scale) (float32, left to right), refused by contract/xnnpack_scale.ts's rule (per-tensor or per-channel). */
export function xnnpackScale(c: ChannelQuant, scheme: 'xnnpack-fp32@1' | 'xnnpack-rndnu@1'): IeeeValue {
  const scale = f32OutputScale(c);
  assertXnnpackScale(scheme, toNumber(scale), c.perChannel);
  return scale;
}
