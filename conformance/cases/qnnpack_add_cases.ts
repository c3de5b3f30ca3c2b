/**
 * Case generators of qnnpack_add@1 (contract/qnnpack_add.ts): QNNPACK's add under torch's qnnpack engine. Lengths on
 * both sides of the ukernel's 8-element SSE2 body (a whole tensor below 8 elements, and 4096 + 1 to 7, whose last call
 * runs the scalar loop), small 4-D tensors, ReLU; scales drawn as ratios to the output scale: any in [2^-10, 2^8),
 * some of few significant bits over a power-of-two output scale (exact multipliers, so acc / 2^shift lands on
 * half-integers and the rounding half away from zero decides), some below 2^-10 (shifts of 32 to 35, where the SSE2
 * body and the scalar loop part); and refusals as torch's: ratios outside [2^-14, 2^8), float32 scales that are not
 * normal, ReLU with zero point 255, qint8, two shapes.
 */
import { type CaseFactory, hex64, wireInt } from './builders.js';
import { drawScale } from './floats.js';
import { drawQuantized } from './quantize_cases.js';
import type { CaseRandom } from './random.js';

/** A shape: below 8 elements, around the 4096-element calls, a few hundred, or small 4-D. */
export function drawAddShape(r: CaseRandom): number[] {
  const kind = r.int(0, 19);
  if (kind < 3) return [r.int(1, 7)];
  if (kind < 5) return [4096 + r.int(1, 7)];
  if (kind === 5) return [4096 * r.int(1, 2) + r.int(8, 40)];
  if (kind < 10) return [r.int(1, 2), r.int(1, 24), r.int(1, 6), r.int(1, 6)];
  return [r.int(8, 300)];
}

/** Exact ratios k / 2^j (k up to 7 bits) over an output scale 2^-t: multipliers without rounding, sums on halves. */
export function drawExactRatios(r: CaseRandom): Scales {
  const scale = 2 ** -r.int(0, 12);
  const ratio = () => r.int(1, 127) * 2 ** -r.int(0, 9);
  return { aScale: ratio() * scale, bScale: ratio() * scale, scale };
}

export interface Scales {
  readonly aScale: number;
  readonly bScale: number;
  readonly scale: number;
}

/** Input and output scales by their ratios: spread, exact (few bits over a power of two), below 2^-10, or refused. */
function drawScales(r: CaseRandom): Scales {
  const kind = r.int(0, 19);
  if (kind < 6) {
    return drawExactRatios(r);
  }
  if (kind < 10) {
    // the larger ratio in [2^-14, 2^-10): shifts 32 to 35
    const scale = drawScale(r);
    const e = -14 + r.next() * 4;
    const [big, small] = [2 ** e, 2 ** (-14 + r.next() * (e + 14))];
    return r.bool() ? { aScale: big * scale, bScale: small * scale, scale } : { aScale: small * scale, bScale: big * scale, scale };
  }
  if (kind === 10) {
    // refused: a ratio outside [2^-14, 2^8), or a scale whose float32 is not a positive normal
    const scale = drawScale(r);
    return r.pick([
      { aScale: scale * 2 ** -15, bScale: scale, scale },
      { aScale: scale, bScale: scale * 300, scale },
      { aScale: 1e-40, bScale: 1e-3, scale: 1e-3 },
      { aScale: 0.1, bScale: 0.1, scale: 1e39 },
    ]);
  }
  const scale = drawScale(r);
  return { aScale: scale * 2 ** (r.next() * 18 - 10), bScale: scale * 2 ** (r.next() * 18 - 10), scale };
}

export const qnnpackAddCase: CaseFactory = (r) => {
  const shape = drawAddShape(r);
  const n = shape.reduce((p, d) => p * d, 1);
  const relu = r.bool(0.4);
  const { aScale, bScale, scale } = drawScales(r);
  const zeroPoint = relu && r.bool(0.05) ? 255 : r.bool(0.2) ? r.pick([0, 128, 255]) : r.int(0, 255);
  const dtype = r.bool(0.03) ? 'qint8' : 'quint8';
  const bShape = r.bool(0.03) ? [...shape, 1] : shape;
  return {
    op: 'qnnpack_add@1',
    attrs: {
      a_scale: hex64(aScale),
      a_zero_point: dtype === 'qint8' ? 0 : r.int(0, 255),
      b_scale: hex64(bScale),
      b_zero_point: dtype === 'qint8' ? 0 : r.int(0, 255),
      scale: hex64(scale),
      zero_point: dtype === 'qint8' ? 0 : zeroPoint,
      relu,
    },
    inputs: { a: wireInt(dtype, shape, drawQuantized(r, n, dtype)), b: wireInt(dtype, bShape, drawQuantized(r, n, dtype)) },
  };
};
