import type { Conv2dArgs } from '../../contract/conv.js';
import type { ConvGeometry } from '../../contract/conv_checks.js';
import { qnnpackPath } from '../../contract/qnnpack_ukernel.js';
import type { ChannelQuantF } from '../requant/types.js';

/** Output channel `oc`'s quantization parameters, as plain numbers. */
export function channelQuant(a: Conv2dArgs, g: ConvGeometry, oc: number): ChannelQuantF {
  const b = a.bias;
  return {
    xScale: a.xScale,
    wScale: a.weightScales.data[g.perChannel ? oc : 0] as number,
    yScale: a.yScale,
    perChannel: g.perChannel,
    yZeroPoint: a.yZeroPoint,
    bias: b === null ? null : { kind: b.dtype === 'float32' ? 'float32' : 'int32', value: b.data[oc] as number },
    relu: a.relu,
    outMin: g.outMin,
    outMax: g.outMax,
    qnnpackPath: qnnpackPath(a, g),
  };
}
