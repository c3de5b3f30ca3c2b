/** XNNPACK's float32 requantization scale (convolution-nhwc.c), fast twin of reference/requant/xnnpack_scale.ts. */
import { QconformError } from '../../contract/errors.js';
import { f32OutputScale } from './float_scale.js';
import type { ChannelQuantF } from './types.js';

export function xnnpackScale(c: ChannelQuantF): number {
  const scale = f32OutputScale(c);
  if (!(scale < 256)) throw new QconformError('unsupported_by_scheme', 'quantized_conv2d: XNNPACK requantization scale', scale, 'must be < 256');
  return scale;
}
