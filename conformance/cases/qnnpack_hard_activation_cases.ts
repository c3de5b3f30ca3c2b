/**
 * Case generators of qnnpack_hardswish@1 and qnnpack_hardsigmoid@1 (contract/qnnpack_hard_activations.ts): QNNPACK's
 * lookup tables under torch's qnnpack engine. quint8 tensors of one to four dimensions, half of them holding every byte
 * 0-255 (so the whole table is compared), scales from the usual draws and now and then so large that d overflows to
 * +-inf (hardswish's NaN entries) or output scales small enough to saturate, zero points of both parities (QNNPACK adds
 * the zero point before its rounding, so ties round to even after it), and refusals as torch's: a scale whose float32
 * is not a positive normal, qint8, a 0-d and an empty tensor.
 */
import type { HardActivation } from './quantized_hard_activation_cases.js';
import { type CaseFactory, hex64, wireInt } from './builders.js';
import { drawScale } from './floats.js';
import { drawQuantized } from './quantize_cases.js';
import type { CaseRandom } from './random.js';

/** A shape of one to four dimensions (4-D most often, MobileNetV3's), every dimension at least 1. */
function drawShape(r: CaseRandom): number[] {
  const rank = r.pick([1, 2, 4, 4]);
  return Array.from({ length: rank }, (_, k) => (k === 0 && rank === 4 ? r.int(1, 2) : r.int(1, rank === 1 ? 300 : 12)));
}

/** Values: every byte 0-255 (shuffled, then padded or cut to the shape) half the time, else drawn. */
function drawValues(r: CaseRandom, n: number): number[] {
  if (!r.bool(0.5)) return drawQuantized(r, n, 'quint8');
  const bytes = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 255; i > 0; i--) {
    const j = r.int(0, i);
    [bytes[i], bytes[j]] = [bytes[j]!, bytes[i]!];
  }
  return Array.from({ length: n }, (_, i) => bytes[i % 256]!);
}

/** A scale: drawn; now and then one past float32's range for d, or one whose float32 QNNPACK refuses (subnormal, 0). */
function drawXScale(r: CaseRandom): number {
  if (r.bool(0.05)) return r.pick([3e38, 1e38, 2 ** 127]);
  if (r.bool(0.03)) return r.pick([1e-40, 1e-50, 2 ** -130]);
  return drawScale(r);
}

export function qnnpackHardActivationCase(fn: HardActivation): CaseFactory {
  return (r, index) => {
    const refusal = index % 50 === 49 ? r.pick(['qint8', '0-d', 'empty'] as const) : null;
    const shape = refusal === '0-d' ? [] : refusal === 'empty' ? [1, 0, 3] : drawShape(r);
    const n = shape.reduce((p, d) => p * d, 1);
    const values = drawValues(r, n);
    const dtype = refusal === 'qint8' ? 'qint8' : 'quint8';
    const xZeroPoint = r.bool(0.2) ? r.pick([0, 128, 255]) : r.int(0, 255);
    const output = fn === 'hardswish' ? { scale: hex64(r.bool(0.05) ? r.pick([1e-40, 1e-6]) : drawScale(r)), zero_point: r.int(0, 255) } : {};
    return {
      op: `qnnpack_${fn}@1`,
      attrs: { x_scale: hex64(drawXScale(r)), x_zero_point: dtype === 'qint8' ? xZeroPoint - 128 : xZeroPoint, ...output },
      inputs: { x: wireInt(dtype, shape, dtype === 'qint8' ? values.map((v) => v - 128) : values) },
    };
  };
}
