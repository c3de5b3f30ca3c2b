/** XNNPACK's float32 requantization scale (convolution-nhwc.c), fast twin of reference/requant/xnnpack_scale.ts; the scales taken are contract/xnnpack_scale.ts's rule. */
import { assertXnnpackScale } from '../../contract/xnnpack_scale.js';
import { f32OutputScale } from './float_scale.js';
import type { ChannelQuantF } from './types.js';

export function xnnpackScale(c: ChannelQuantF, scheme: 'xnnpack-fp32@1' | 'xnnpack-rndnu@1'): number {
  const scale = f32OutputScale(c);
  assertXnnpackScale(scheme, scale, c.perChannel);
  return scale;
}
