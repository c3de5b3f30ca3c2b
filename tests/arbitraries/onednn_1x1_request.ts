/**
 * quantized_conv2d@1 requests on oneDNN's 1x1 kernel geometry (groups 1, 1x1, padding 0, stride 1 or a
 * stride that tiles the input) built so that the float32 zero-point compensation of `sat16_pairs_f32_zp`
 * matters: 700..1600 input channels, a large input zero point and weights of one sign per output channel,
 * so |S| and |z * sum w| pass 2^24, where float32 steps are 2 or 4; an output scale near 1 and a float bias
 * that recenters the first output position near the output zero point make a one-step change visible.
 * Replayable through the property's seed and path.
 */
import fc from 'fast-check';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { convRequest } from '../../conformance/cases/conv_cases.js';
import type { DrawnGeometry } from '../../conformance/cases/conv_geometry.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import type { Accumulator } from '../../contract/conv.js';

/** Only aims the bias (never compared): the sat16 pair sum minus z * sum w at output position 0 of channel oc. */
function approximateAccumulator(x: number[], w: number[], c: number, hw: number, oc: number, z: number): number {
  let s = 0;
  let sumW = 0;
  for (let i = 0; i < c; i += 2) {
    const w0 = w[oc * c + i] as number;
    const w1 = i + 1 < c ? (w[oc * c + i + 1] as number) : 0;
    const pair = (x[i * hw] as number) * w0 + (i + 1 < c ? (x[(i + 1) * hw] as number) * w1 : 0);
    s += Math.max(-32768, Math.min(32767, pair));
    sumW += w0 + w1;
  }
  return s - z * sumW;
}

export function onednn1x1Request(seed: number, accumulator: Accumulator): WireRequest {
  const r = new CaseRandom(`onednn-1x1-f32-zp-${seed}`);
  const c = r.int(700, 1600);
  const oc = r.int(1, 3);
  const strided = r.bool(0.25);
  const [h, w] = strided ? [2 * r.int(1, 2), 2] : [r.int(1, 2), r.int(1, 3)];
  const g: DrawnGeometry = { n: 1, c, h, w, oc, kh: 1, kw: 1, stride: strided ? [2, 2] : [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, kind: 'pointwise' };
  const x = Array.from({ length: c * h * w }, () => (r.bool(0.8) ? r.int(200, 255) : r.int(0, 255)));
  const weight = Array.from({ length: oc }, () => (r.bool(0.5) ? 1 : -1)).flatMap((sign) => Array.from({ length: c }, () => (r.bool(0.9) ? sign * r.int(90, 127) : r.int(-128, 127))));
  const xZeroPoint = r.int(180, 255);
  const perChannel = r.bool(0.3);
  const xScale = Math.fround(2 ** -r.int(4, 10) * (1 + r.next()));
  const weightScales = Array.from({ length: perChannel ? oc : 1 }, () => Math.fround(2 ** -r.int(4, 10) * (1 + r.next())));
  const yScale = xScale * (weightScales[0] as number) * (r.bool(0.5) ? 1 : 1 + (r.next() - 0.5) * 1e-6);
  const yZeroPoint = r.int(64, 192);
  const biasReal = Array.from({ length: oc }, (_, o) => Math.fround(-approximateAccumulator(x, weight, c, h * w, o, xZeroPoint) * xScale * (weightScales[perChannel ? o : 0] as number)));
  const v = { x, xScale, xZeroPoint, weight, weightScales, weightZeroPoints: weightScales.map(() => 0), biasReal, yScale, yZeroPoint, relu: r.bool(0.2) };
  return { id: `onednn-1x1-${seed}`, ...convRequest(g, v, { scheme: 'torch-onednn@1', accumulator, dtype: 'quint8', biasDtype: 'float32', weightQuantization: perChannel ? 'per_channel' : 'per_tensor' }) };
}

export const onednn1x1Seed: fc.Arbitrary<number> = fc.integer();
