/**
 * Case generator of dynamic_quantize_lstm@1 (com.microsoft DynamicQuantizeLSTM, ORT 1.30 dynamic_quantize_lstm.cc):
 * direction forward (45%), reverse (25%) or bidirectional (30%: every per-direction tensor [2, ...]), sequence_lens in
 * 35% (each row 0 to seq_length, some rows full), other activations in 35% (each of f, g, h per direction drawn from
 * those modelled, alpha / beta lists now and then: contract/rnn_activations.ts); seq_length 1-4, batch 1-3,
 * input_size 1-8, hidden_size 1-8; uint8 or int8 weights
 * (full range, or 80% at the ends of it: `extremes` saturates the int16 pairs of MLAS's AVX2 u8 x s8 GEMM), scales
 * and zero points per tensor ([1]) or per column ([1, 4H]); optional B, initial_h, initial_c, P, clip and input_forget
 * (each independently); x spread from 1e-3 to 1e3, weight scales set for gates of +-1 to +-10, 15% of them 64 times
 * larger (past the logistic's [-18, 18] and tanh's [-9, 9] clamps), now and then x all zeros (x's scale is then 1). 5% spell the default activations
 * out; 6% are requests ORT 1.30 refuses as the contract does (a non-zero per-column int8 zero point, a varying
 * per-column uint8 one, clip <= 0, a scale of shape [], a sequence_lens past seq_length, an unknown activation).
 * Bidirectional cases give a [2] zero point only with a [2] scale (with a [2, 4H] scale ORT reads the second
 * direction's zero point past the tensor: refused by the contract, never drawn).
 */
import type { QuantDtype } from '../../contract/dtypes.js';
import { numel } from '../../contract/tensor.js';
import { type CaseFactory, hex64, wireF32, wireInt } from './builders.js';
import { drawStress, values } from './onnx_qops_cases.js';
import type { CaseRandom } from './random.js';

function floats(r: CaseRandom, n: number, spread: number): number[] {
  return Array.from({ length: n }, () => Math.fround(r.normal() * spread));
}

/** A weight scale such that a gate's dot product lands around +-1 to +-10 for x of `spread` (128 ~ |w - z|). */
function weightScale(r: CaseRandom, k: number, spread: number): number {
  return Math.fround((2 ** (4 * r.next() - 1)) / (128 * spread * Math.sqrt(k)));
}

/** Breaks the request in one of the ways ORT 1.30 refuses (and so does the contract). */
function breakRequest(r: CaseRandom, dtype: QuantDtype, h4: number, d: number, batch: number, seq: number, inputs: Record<string, unknown>, attrs: Record<string, unknown>): void {
  const kind = r.int(0, 4);
  if (kind === 0) {
    const zp = dtype === 'qint8' ? Array.from({ length: d * h4 }, (_, c) => (c === h4 - 1 ? 1 : 0)) : Array.from({ length: d * h4 }, (_, c) => 100 + (c % 2));
    inputs.w_zero_point = wireInt(dtype, [d, h4], zp); // ZeroPointCheck
  } else if (kind === 1) {
    attrs.clip = hex64(r.pick([0, -1]));
  } else if (kind === 2) {
    inputs.r_scale = wireF32([], [0.01]); // WeightCheck: [D] or [D, 4H]
  } else if (kind === 3) {
    inputs.sequence_lens = wireInt('int32', [batch], Array.from({ length: batch }, (_, b) => (b === 0 ? seq + 1 : seq))); // ValidateCommonRnnInputs
  } else {
    attrs.activations = Array.from({ length: 3 * d }, (_, k) => (k === 1 ? 'Swish' : 'Tanh'));
  }
}

/** ORT's activations qconform models, as a model would spell them. */
const ACTIVATIONS = ['Sigmoid', 'Tanh', 'Relu', 'Affine', 'LeakyRelu', 'ThresholdedRelu', 'HardSigmoid', 'Softsign'] as const;

const UNBOUNDED = new Set(['relu', 'affine', 'leakyrelu', 'thresholdedrelu']);

/** Non-default activations for `d` directions (f, g, h each), alpha / beta lists half the time. */
function drawActivations(r: CaseRandom, d: number, attrs: Record<string, unknown>): void {
  attrs.activations = Array.from({ length: 3 * d }, () => {
    const name = r.pick(ACTIVATIONS);
    return r.bool(0.2) ? name.toLowerCase() : name;
  });
  if (r.bool(0.5)) attrs.activation_alpha = Array.from({ length: r.int(1, 3 * d) }, () => hex64(Math.fround(r.pick([0.1, 0.5, 1, 1.5, -0.5, 2 * r.next()]))));
  if (r.bool(0.5)) attrs.activation_beta = Array.from({ length: r.int(1, 3 * d) }, () => hex64(Math.fround(r.pick([0, 0.25, -0.5, 1, r.next() - 0.5]))));
}

export const dynamicQuantizeLstmCase: CaseFactory = (r) => {
  const dtype: QuantDtype = r.bool(0.5) ? 'quint8' : 'qint8';
  const stress = drawStress(r);
  const [seq, batch, inputSize, hidden] = [r.int(1, 4), r.int(1, 3), r.int(1, 8), r.int(1, 8)];
  const h4 = 4 * hidden;
  const direction = r.pick(['forward', 'forward', 'forward', 'forward', 'forward', 'forward', 'forward', 'forward', 'forward', 'reverse', 'reverse', 'reverse', 'reverse', 'reverse', 'bidirectional', 'bidirectional', 'bidirectional', 'bidirectional', 'bidirectional', 'bidirectional'] as const);
  const d = direction === 'bidirectional' ? 2 : 1;
  const spread = r.pick([1e-3, 0.1, 0.5, 1, 1, 2, 4, 30, 1e3]);
  const gain = r.bool(0.15) ? 64 : 1; // gates far past the logistic's and tanh's clamps
  const x = r.bool(0.03) ? new Array<number>(seq * batch * inputSize).fill(0) : floats(r, seq * batch * inputSize, spread);
  const inputs: Record<string, unknown> = {
    x: wireF32([seq, batch, inputSize], x),
    w: wireInt(dtype, [d, inputSize, h4], values(r, dtype, d * inputSize * h4, stress === 'extremes' ? 'extremes' : 'typical')),
    r: wireInt(dtype, [d, hidden, h4], values(r, dtype, d * hidden * h4, stress === 'extremes' ? 'extremes' : 'typical')),
  };
  for (const [name, k, s] of [['w', inputSize, spread], ['r', hidden, 0.5]] as const) {
    const perColumn = r.bool(0.3);
    const shape = perColumn ? [d, h4] : [d];
    const scale = Math.fround(gain * weightScale(r, k, s));
    inputs[`${name}_scale`] = wireF32(shape, Array.from({ length: numel(shape) }, () => Math.fround(scale * (perColumn || d === 2 ? 0.5 + r.next() : 1))));
    // a [D] zero point may differ per direction; a [D, 4H] one is constant (ZeroPointCheck); independent of the
    // scale's shape (ORT checks each alone) except that two directions with a [2, 4H] scale need a [2, 4H] zero point
    const zpShape = (d === 2 && perColumn) || r.bool(0.5) ? [d, h4] : [d];
    const zp = () => (dtype === 'qint8' ? 0 : r.bool(0.2) ? 128 : r.int(0, 255));
    const z0 = zp();
    inputs[`${name}_zero_point`] = wireInt(dtype, zpShape, zpShape.length === 2 ? new Array<number>(numel(zpShape)).fill(z0) : [z0, ...Array.from({ length: d - 1 }, zp)]);
  }
  const perDirection = (n: number, draw: () => number) => Array.from({ length: d * n }, draw);
  if (r.bool(0.5)) {
    const bs = r.pick([0.5, 1, 3]);
    inputs.b = wireF32([d, 2 * h4], perDirection(2 * h4, () => Math.fround(r.normal() * bs)));
  }
  if (r.bool(0.4)) inputs.initial_h = wireF32([d, batch, hidden], perDirection(batch * hidden, () => Math.fround(2 * r.next() - 1)));
  if (r.bool(0.4)) {
    const cs = r.pick([0.5, 2, 20]);
    inputs.initial_c = wireF32([d, batch, hidden], perDirection(batch * hidden, () => Math.fround(r.normal() * cs)));
  }
  if (r.bool(0.3)) {
    const ps = r.pick([0.1, 0.5, 2]);
    inputs.p = wireF32([d, 3 * hidden], perDirection(3 * hidden, () => Math.fround(r.normal() * ps)));
  }
  if (r.bool(0.35)) inputs.sequence_lens = wireInt('int32', [batch], Array.from({ length: batch }, () => (r.bool(0.3) ? seq : r.int(0, seq))));
  const attrs: Record<string, unknown> = { hidden_size: hidden, accumulator: 'int32_wrap' };
  if (direction !== 'forward' || r.bool(0.1)) attrs.direction = direction;
  if (r.bool(0.25)) attrs.clip = hex64(r.pick([0.25, 0.5, 1, 3, 2 * r.next() + 0.01]));
  if (r.bool(0.15)) attrs.input_forget = 1;
  if (r.bool(0.35)) {
    drawActivations(r, d, attrs);
    // an unbounded f or g (Relu, Affine, LeakyRelu, ThresholdedRelu) without a clip can grow C past float32 within a
    // few steps, and an infinite h is refused (its quantization was not measured): such cases always get a clip
    const names = (attrs.activations as string[]).filter((_, k) => k % 3 !== 2).map((n) => n.toLowerCase());
    if (attrs.clip === undefined && names.some((n) => UNBOUNDED.has(n))) attrs.clip = hex64(r.pick([0.5, 1, 2, 3]));
  } else if (r.bool(0.05)) attrs.activations = Array.from({ length: d }, () => ['Sigmoid', 'Tanh', 'Tanh']).flat();
  if (r.bool(0.06)) breakRequest(r, dtype, h4, d, batch, seq, inputs, attrs);
  return { op: 'dynamic_quantize_lstm@1', attrs, inputs };
};
