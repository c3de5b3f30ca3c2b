/**
 * Case generators of xnnpack_add@1 (contract/xnnpack_add.ts): XNNPACK's qs8 add under torch's qnnpack engine (qint8).
 * The shapes of qnnpack_add's cases; scales drawn as ratios to the output scale: exact ratios over a power-of-two output
 * scale (sums on half-integers, so that the rounding half up decides), any in [2^-10, 2^8), some near 2^-10 (shift 30);
 * ReLU; and refusals as torch's: ratios outside [2^-10, 2^8), float32 scales that are not normal, ReLU with zero point
 * 127, quint8, two shapes.
 */
import { type CaseFactory, hex64, wireInt } from './builders.js';
import { drawScale } from './floats.js';
import { type Scales, drawAddShape, drawExactRatios } from './qnnpack_add_cases.js';
import { drawQuantized } from './quantize_cases.js';
import type { CaseRandom } from './random.js';

function drawScales(r: CaseRandom): Scales {
  const kind = r.int(0, 19);
  if (kind < 7) return drawExactRatios(r);
  const scale = drawScale(r);
  if (kind < 9) return { aScale: scale * 2 ** (-10 + r.next()), bScale: scale * 2 ** (-10 + r.next()), scale };
  if (kind === 9) {
    return r.pick([
      { aScale: scale * 2 ** -11, bScale: scale, scale },
      { aScale: scale, bScale: scale * 300, scale },
      { aScale: 1e-40, bScale: 1e-3, scale: 1e-3 },
      { aScale: 0.1, bScale: 0.1, scale: 1e39 },
    ]);
  }
  return { aScale: scale * 2 ** (r.next() * 17.9 - 9.9), bScale: scale * 2 ** (r.next() * 17.9 - 9.9), scale };
}

export const xnnpackAddCase: CaseFactory = (r) => {
  const shape = drawAddShape(r);
  const n = shape.reduce((p, d) => p * d, 1);
  const relu = r.bool(0.4);
  const { aScale, bScale, scale } = drawScales(r);
  const dtype = r.bool(0.03) ? 'quint8' : 'qint8';
  const zp = () => (dtype === 'quint8' ? r.int(0, 255) : r.int(-128, 127));
  const zeroPoint = dtype === 'quint8' ? 0 : relu && r.bool(0.05) ? 127 : r.bool(0.2) ? r.pick([-128, 0, 127]) : r.int(-128, 127);
  const bShape = r.bool(0.03) ? [...shape, 1] : shape;
  return {
    op: 'xnnpack_add@1',
    attrs: { a_scale: hex64(aScale), a_zero_point: zp(), b_scale: hex64(bScale), b_zero_point: zp(), scale: hex64(scale), zero_point: zeroPoint, relu },
    inputs: { a: wireInt(dtype, shape, drawQuantized(r, n, dtype)), b: wireInt(dtype, bShape, drawQuantized(r, n, dtype)) },
  };
};
