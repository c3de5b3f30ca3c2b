/**
 * The bench layers of issues 3 and 15, with seeded data: a dense 3x3 layer (1x64x56x56 -> 64, pad 1, 115.6 M MAC),
 * a depthwise one (1x256x28x28, 3x3, pad 1, groups 256, 1.8 M MAC) and a pointwise one (1x256x14x14 -> 512, 1x1,
 * 25.7 M MAC); stride 1, one batch element.
 */
import type { Conv2dArgs, RequantScheme } from '../../contract/conv.js';
import { byteTensor, f64Tensor, intTensor } from '../../contract/tensor.js';
import { CaseRandom } from '../../conformance/cases/random.js';

export interface BenchLayer {
  readonly name: string;
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly oc: number;
  readonly k: number;
  readonly pad: number;
  readonly groups: number;
}

export const LAYER: BenchLayer = { name: 'dense 3x3', n: 1, c: 64, h: 56, w: 56, oc: 64, k: 3, pad: 1, groups: 1 };
export const DEPTHWISE_LAYER: BenchLayer = { name: 'depthwise 3x3', n: 1, c: 256, h: 28, w: 28, oc: 256, k: 3, pad: 1, groups: 256 };
export const POINTWISE_LAYER: BenchLayer = { name: 'pointwise 1x1', n: 1, c: 256, h: 14, w: 14, oc: 512, k: 1, pad: 0, groups: 1 };
export const BENCH_LAYERS: readonly BenchLayer[] = [LAYER, DEPTHWISE_LAYER, POINTWISE_LAYER];

/** Multiply-accumulates of a layer (stride 1, 'same' padding: OH = H, OW = W). */
export function layerMacs(l: BenchLayer, o: { h?: number; w?: number; oc?: number } = {}): number {
  return l.n * (o.oc ?? l.oc) * (o.h ?? l.h) * (o.w ?? l.w) * (l.c / l.groups) * l.k * l.k;
}
export const LAYER_MACS = layerMacs(LAYER);

/** `1x64x56x56 -> 64, 3x3, pad 1` */
export function layerTitle(l: BenchLayer): string {
  return `${l.n}x${l.c}x${l.h}x${l.w} -> ${l.oc}, ${l.k}x${l.k}, pad ${l.pad}${l.groups > 1 ? `, groups ${l.groups}` : ''}`;
}

/**
 * A bench layer's conv with seeded data; `storage` 'bytes' holds x in a Uint8Array and the weight in an Int8Array
 * (contract/tensor.ts IntData, as ONNX Runtime holds them: the same values, so the same outputs, stored in bytes too).
 */
export function layerArgs(scheme: RequantScheme, o: { h?: number; w?: number; oc?: number } = {}, l: BenchLayer = LAYER, storage: 'int32' | 'bytes' = 'int32'): Conv2dArgs {
  const r = new CaseRandom(l === LAYER ? 'bench-conv' : `bench-conv ${l.name}`);
  const h = o.h ?? l.h;
  const w = o.w ?? l.w;
  const oc = o.oc ?? l.oc;
  const icg = l.c / l.groups;
  const x = Array.from({ length: l.n * l.c * h * w }, () => r.int(0, 255));
  const weight = Array.from({ length: oc * icg * l.k * l.k }, () => r.int(-128, 127));
  const int32Bias = !scheme.startsWith('torch');
  const bytes = storage === 'bytes';
  return {
    x: bytes ? byteTensor('quint8', [l.n, l.c, h, w], Uint8Array.from(x)) : intTensor('quint8', [l.n, l.c, h, w], x),
    xScale: Math.fround(0.02),
    xZeroPoint: 128,
    weight: bytes ? byteTensor('qint8', [oc, icg, l.k, l.k], Int8Array.from(weight)) : intTensor('qint8', [oc, icg, l.k, l.k], weight),
    weightQuantization: 'per_channel',
    weightScales: f64Tensor([oc], Array.from({ length: oc }, () => Math.fround(0.002 + r.next() * 0.002))),
    weightZeroPoints: intTensor('int64', [oc], new Array(oc).fill(0)),
    bias: int32Bias ? intTensor('int32', [oc], Array.from({ length: oc }, () => r.int(-5000, 5000))) : null,
    stride: [1, 1],
    padding: [l.pad, l.pad],
    dilation: [1, 1],
    groups: l.groups,
    relu: false,
    yScale: 0.5,
    yZeroPoint: 128,
    scheme,
    accumulator: 'int32_wrap',
  };
}
