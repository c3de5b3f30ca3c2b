/**
 * Case generator of dynamic_quantize_lstm@1 (com.microsoft DynamicQuantizeLSTM, ORT 1.30 dynamic_quantize_lstm.cc,
 * forward, default activations): seq_length 1-4, batch 1-3, input_size 1-8, hidden_size 1-8; uint8 or int8 weights
 * (full range, or 80% at the ends of it: `extremes` saturates the int16 pairs of MLAS's AVX2 u8 x s8 GEMM), scales
 * and zero points per tensor ([1]) or per column ([1, 4H]); optional B, initial_h, initial_c, P, clip and input_forget
 * (each independently); x spread from 1e-3 to 1e3, weight scales set for gates of +-1 to +-10, 15% of them 64 times
 * larger (past the logistic's [-18, 18] and tanh's [-9, 9] clamps), now and then x all zeros (x's scale is then 1). 5% spell the default activations
 * out; 4% are requests ORT 1.30 refuses as the contract does (a non-zero per-column int8 zero point, a varying
 * per-column uint8 one, clip <= 0, a scale of shape []).
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
function breakRequest(r: CaseRandom, dtype: QuantDtype, h4: number, inputs: Record<string, unknown>, attrs: Record<string, unknown>): void {
  const kind = r.int(0, 2);
  if (kind === 0) {
    const zp = dtype === 'qint8' ? Array.from({ length: h4 }, (_, c) => (c === h4 - 1 ? 1 : 0)) : Array.from({ length: h4 }, (_, c) => 100 + (c % 2));
    inputs.w_zero_point = wireInt(dtype, [1, h4], zp); // ZeroPointCheck
  } else if (kind === 1) {
    attrs.clip = hex64(r.pick([0, -1]));
  } else {
    inputs.r_scale = wireF32([], [0.01]); // WeightCheck: [1] or [1, 4H]
  }
}

export const dynamicQuantizeLstmCase: CaseFactory = (r) => {
  const dtype: QuantDtype = r.bool(0.5) ? 'quint8' : 'qint8';
  const stress = drawStress(r);
  const [seq, batch, inputSize, hidden] = [r.int(1, 4), r.int(1, 3), r.int(1, 8), r.int(1, 8)];
  const h4 = 4 * hidden;
  const spread = r.pick([1e-3, 0.1, 0.5, 1, 1, 2, 4, 30, 1e3]);
  const gain = r.bool(0.15) ? 64 : 1; // gates far past the logistic's and tanh's clamps
  const x = r.bool(0.03) ? new Array<number>(seq * batch * inputSize).fill(0) : floats(r, seq * batch * inputSize, spread);
  const inputs: Record<string, unknown> = {
    x: wireF32([seq, batch, inputSize], x),
    w: wireInt(dtype, [1, inputSize, h4], values(r, dtype, inputSize * h4, stress === 'extremes' ? 'extremes' : 'typical')),
    r: wireInt(dtype, [1, hidden, h4], values(r, dtype, hidden * h4, stress === 'extremes' ? 'extremes' : 'typical')),
  };
  for (const [name, k, s] of [['w', inputSize, spread], ['r', hidden, 0.5]] as const) {
    const perColumn = r.bool(0.3);
    const shape = perColumn ? [1, h4] : [1];
    const scale = Math.fround(gain * weightScale(r, k, s));
    inputs[`${name}_scale`] = wireF32(shape, Array.from({ length: numel(shape) }, () => Math.fround(scale * (perColumn ? 0.5 + r.next() : 1))));
    const zp = dtype === 'qint8' ? 0 : r.bool(0.2) ? 128 : r.int(0, 255);
    const zpShape = r.bool(0.5) ? [1] : [1, h4]; // independent of the scale's (ORT checks each alone)
    inputs[`${name}_zero_point`] = wireInt(dtype, zpShape, new Array<number>(numel(zpShape)).fill(zp));
  }
  if (r.bool(0.5)) inputs.b = wireF32([1, 2 * h4], floats(r, 2 * h4, r.pick([0.5, 1, 3])));
  if (r.bool(0.4)) inputs.initial_h = wireF32([1, batch, hidden], Array.from({ length: batch * hidden }, () => Math.fround(2 * r.next() - 1)));
  if (r.bool(0.4)) inputs.initial_c = wireF32([1, batch, hidden], floats(r, batch * hidden, r.pick([0.5, 2, 20])));
  if (r.bool(0.3)) inputs.p = wireF32([1, 3 * hidden], floats(r, 3 * hidden, r.pick([0.1, 0.5, 2])));
  const attrs: Record<string, unknown> = { hidden_size: hidden, accumulator: 'int32_wrap' };
  if (r.bool(0.25)) attrs.clip = hex64(r.pick([0.25, 0.5, 1, 3, 2 * r.next() + 0.01]));
  if (r.bool(0.15)) attrs.input_forget = 1;
  if (r.bool(0.05)) attrs.activations = ['Sigmoid', 'Tanh', 'Tanh'];
  if (r.bool(0.1)) attrs.direction = 'forward';
  if (r.bool(0.04)) breakRequest(r, dtype, h4, inputs, attrs);
  return { op: 'dynamic_quantize_lstm@1', attrs, inputs };
};
