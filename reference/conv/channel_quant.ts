import type { Conv2dArgs } from '../../contract/conv.js';
import type { ConvGeometry } from '../../contract/conv_checks.js';
import { qnnpackPath } from '../../contract/qnnpack_ukernel.js';
import { fromFloat32, fromFloat64 } from '../exact/ieee_bits.js';
import type { ChannelQuant } from '../requant/types.js';

/** Output channel `oc`'s quantization parameters as exact values (floats enter by their bits only). */
export function channelQuant(a: Conv2dArgs, g: ConvGeometry, oc: number): ChannelQuant {
  const k = g.perChannel ? oc : 0;
  const b = a.bias;
  return {
    xScale: fromFloat64(a.xScale),
    wScale: fromFloat64(a.weightScales.data[k] as number),
    yScale: fromFloat64(a.yScale),
    perChannel: g.perChannel,
    yZeroPoint: BigInt(a.yZeroPoint),
    bias: b === null ? null : b.dtype === 'float32' ? { kind: 'float32', value: fromFloat32(b.data[oc] as number) } : { kind: 'int32', value: BigInt(b.data[oc] as number) },
    relu: a.relu,
    outMin: BigInt(g.outMin),
    outMax: BigInt(g.outMax),
    qnnpackPath: qnnpackPath(a, g),
  };
}
