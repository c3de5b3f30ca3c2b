/** The benchmark layer of issue 3: 1x64x56x56 -> 64 channels, 3x3, pad 1, stride 1 (115.6 M MAC), seeded data. */
import type { Conv2dArgs, RequantScheme } from '../../contract/conv.js';
import { f64Tensor, intTensor } from '../../contract/tensor.js';
import { CaseRandom } from '../../conformance/cases/random.js';

export const LAYER = { n: 1, c: 64, h: 56, w: 56, oc: 64, k: 3, pad: 1 } as const;
export const LAYER_MACS = LAYER.n * LAYER.oc * LAYER.h * LAYER.w * LAYER.c * LAYER.k * LAYER.k;

export function layerArgs(scheme: RequantScheme, o: { h?: number; w?: number; oc?: number } = {}): Conv2dArgs {
  const r = new CaseRandom('bench-conv');
  const h = o.h ?? LAYER.h;
  const w = o.w ?? LAYER.w;
  const oc = o.oc ?? LAYER.oc;
  const x = Array.from({ length: LAYER.n * LAYER.c * h * w }, () => r.int(0, 255));
  const weight = Array.from({ length: oc * LAYER.c * LAYER.k * LAYER.k }, () => r.int(-128, 127));
  const int32Bias = !scheme.startsWith('torch');
  return {
    x: intTensor('quint8', [LAYER.n, LAYER.c, h, w], x),
    xScale: Math.fround(0.02),
    xZeroPoint: 128,
    weight: intTensor('qint8', [oc, LAYER.c, LAYER.k, LAYER.k], weight),
    weightQuantization: 'per_channel',
    weightScales: f64Tensor([oc], Array.from({ length: oc }, () => Math.fround(0.002 + r.next() * 0.002))),
    weightZeroPoints: intTensor('int64', [oc], new Array(oc).fill(0)),
    bias: int32Bias ? intTensor('int32', [oc], Array.from({ length: oc }, () => r.int(-5000, 5000))) : null,
    stride: [1, 1],
    padding: [LAYER.pad, LAYER.pad],
    dilation: [1, 1],
    groups: 1,
    relu: false,
    yScale: 0.5,
    yZeroPoint: 128,
    scheme,
    accumulator: 'int32_wrap',
  };
}
