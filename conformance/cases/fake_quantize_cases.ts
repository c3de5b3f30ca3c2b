import { FLOAT_STYLES, drawF32, drawScale, drawTieInput } from './floats.js';
import type { CaseRandom } from './random.js';
import { type CaseFactory, hex64, wireF32, wireInt } from './builders.js';
import { drawChannelShape } from './quantize_cases.js';

/** A qconfig-style [quant_min, quant_max] for fake quantization, narrow ranges included (the contrast with eager quantize). */
function drawFakeRange(r: CaseRandom): [number, number] {
  return r.pick([[0, 255], [0, 127], [0, 15], [-128, 127], [-64, 63], [-7, 7], [-8, 7], [0, 1], [-1000, 1000], [-(2 ** 31), 2 ** 31 - 1]]);
}

function drawFakeInputs(r: CaseRandom, n: number, scale: number, lo: number, hi: number, zp: number): number[] {
  const style = r.pick(FLOAT_STYLES);
  const span = Math.min(hi - lo, 1000);
  return Array.from({ length: n }, () => (r.bool(0.3) ? drawTieInput(r, scale, r.int(lo, lo + span) - zp) : drawF32(r, style, scale * span)));
}

export const fakeQuantizePerTensorCase: CaseFactory = (r) => {
  const [lo, hi] = drawFakeRange(r);
  const zp = r.bool(0.05) ? hi + 1 : r.int(lo, Math.min(hi, lo + 1000));
  const scale = drawScale(r);
  const n = r.int(1, 24);
  return {
    op: 'fake_quantize_per_tensor_affine@1',
    attrs: { scale: hex64(r.bool(0.03) ? -scale : scale), zero_point: zp, quant_min: r.bool(0.02) ? hi + 1 : lo, quant_max: hi },
    inputs: { x: wireF32([n], drawFakeInputs(r, n, scale, lo, hi, zp)) },
  };
};

export const fakeQuantizePerChannelCase: CaseFactory = (r) => {
  const [lo, hi] = drawFakeRange(r);
  const { shape, axis } = drawChannelShape(r);
  const channels = shape[axis]!;
  const scales = Array.from({ length: channels }, () => Math.fround(drawScale(r)));
  const zps = scales.map(() => r.int(lo, Math.min(hi, lo + 1000)));
  const n = shape.reduce((a, b) => a * b, 1);
  return {
    op: 'fake_quantize_per_channel_affine@1',
    attrs: { axis, quant_min: lo, quant_max: hi },
    inputs: { x: wireF32(shape, drawFakeInputs(r, n, scales[0]!, lo, hi, zps[0]!)), scales: wireF32([channels], scales), zero_points: wireInt('int32', [channels], zps) },
  };
};
