/**
 * dynamic_quantize_lstm@1, fast twin of reference/onnx/dynamic_quantize_lstm.ts (ORT 1.30 com.microsoft
 * DynamicQuantizeLSTM, uni_directional_lstm.cc; each direction over max(sequence_lens) steps, reverse through
 * ReverseSequence, Y zero past a row's length, Y_h / Y_c its last h / C): x W for all steps at once and h_{t-1} R at each step, each
 * operand quantized as DynamicQuantizeLinear does, the MLAS int8 GEMM, the scale output processor (ZeroMode, then
 * AccumulateMode: f32(f32(f32(acc) * m) + g)); the gates (peephole, Wb + Rb, clip, the activations of
 * lstm_activations.ts) and C_t = f32(f32(C * f) + f32(i * c~)), h_t = h(C_t, o), on JS numbers rounded to float32.
 */
import { checkDynamicQuantizeLstm, type LstmGeometry } from '../../contract/dynamic_quantize_lstm_checks.js';
import { QconformError } from '../../contract/errors.js';
import { checkOutputScale } from '../../contract/matmul_integer_to_float_checks.js';
import { matmulGeometry } from '../../contract/onnx_matmul_checks.js';
import type { DynamicQuantizeLstmArgs, DynamicQuantizeLstmResult } from '../../contract/onnx_qops.js';
import type { RnnActivation } from '../../contract/rnn_activations.js';
import { type IntData, type IntTensor, f32Tensor } from '../../contract/tensor.js';
import { f32Add, f32Mul, f32Sub } from '../float32.js';
import { dynamicQuantizeLinear } from '../quantize_linear.js';
import { gemmAccumulators } from './int_gemm.js';
import { lstmGateActivation, lstmOutputActivation } from './lstm_activations.js';

const WHAT = 'dynamic_quantize_lstm';

/** rnn_helpers.cc ComputeGemm for 8-bit weights (ZeroMode without `onto`, AccumulateMode onto it). */
function quantizedGemm(rows: Float32Array, m: number, weights: IntTensor, scales: ArrayLike<number>, zeroPoint: number, g: LstmGeometry, onto: Float32Array | null): Float32Array {
  const q = dynamicQuantizeLinear(f32Tensor([rows.length], rows));
  const aScale = q.yScale.data[0] as number;
  const multipliers = Array.from(scales, (s) => {
    const multiplier = f32Mul(aScale, s);
    checkOutputScale(WHAT, multiplier);
    return multiplier;
  });
  const geometry = { ...matmulGeometry(WHAT, { shape: [m, rows.length / m] }, weights, null), aDtype: 'quint8' as const, bDtype: g.weightDtype };
  const zb = new Float64Array(geometry.n).fill(zeroPoint);
  const acc = gemmAccumulators(geometry, { a: q.y.data, b: weights.data, za: q.yZeroPoint.data[0] as number, zb: () => zb }, geometry.batches[0]!, g.accumulator);
  const out = new Float32Array(acc.length);
  for (let x = 0; x < acc.length; x++) {
    const scaled = f32Mul(acc[x] as number, multipliers[multipliers.length === 1 ? 0 : x % geometry.n] as number);
    out[x] = onto ? f32Add(scaled, onto[x] as number) : scaled;
  }
  return out;
}

/** clip_add_bias (std::max(-clip, std::min(clip, x + b))) or clip_ignore_bias. */
function clipWithBias(x: number, bias: number | null, clip: number): number {
  if (bias !== null) {
    const v = f32Add(x, bias);
    const lo = v < clip ? v : clip; // std::min(clip, v): NaN gives clip
    return -clip < lo ? lo : -clip; // std::max(-clip, lo)
  }
  if (x > clip) return clip;
  return x < -clip ? -clip : x;
}

/** The d-th of D equal slices of a tensor's data, or null. */
function slice<T extends Float32Array | IntData>(data: T | undefined, d: number, directions: number): T | null {
  if (!data) return null;
  const n = data.length / directions;
  return data.subarray(d * n, (d + 1) * n) as T;
}

/** UniDirectionalLstm::ComputeImpl of direction d: Y ([seq, batch, H], output time order), Y_h, Y_c. */
function runDirection(a: DynamicQuantizeLstmArgs, g: LstmGeometry, d: number): { y: Float32Array; yH: Float32Array; yC: Float32Array } {
  const { seqLength, batch, inputSize, hidden, sequenceLens: lens, maxLen } = g;
  const h4 = 4 * hidden;
  const D = g.directions;
  const reverse = g.reverse[d]!;
  const act = g.activations[d]!;
  const b = slice(a.b?.data, d, D);
  const bias = b ? Float32Array.from({ length: h4 }, (_, c) => f32Add(b[c] as number, b[h4 + c] as number)) : null;
  const p = slice(a.p?.data, d, D);
  const w: IntTensor = { dtype: a.w.dtype, shape: [1, inputSize, h4], data: slice(a.w.data, d, D)! };
  const r: IntTensor = { dtype: a.r.dtype, shape: [1, hidden, h4], data: slice(a.r.data, d, D)! };
  const x = new Float32Array(maxLen * batch * inputSize);
  for (let t = 0; t < maxLen; t++) {
    for (let row = 0; row < batch; row++) {
      const src = reverse && t < lens[row]! ? lens[row]! - 1 - t : t;
      x.set(a.x.data.subarray((src * batch + row) * inputSize, (src * batch + row + 1) * inputSize), (t * batch + row) * inputSize);
    }
  }
  const xw = quantizedGemm(x, maxLen * batch, w, slice(a.wScale.data, d, D)!, g.wZeroPoints[d]!, g, null);
  const rScales = slice(a.rScale.data, d, D)!;
  const h0 = slice(a.initialH?.data, d, D);
  const c0 = slice(a.initialC?.data, d, D);
  let h = h0 ? Float32Array.from(h0) : new Float32Array(batch * hidden);
  const cell = c0 ? Float32Array.from(c0) : new Float32Array(batch * hidden);
  const y = new Float32Array(seqLength * batch * hidden);
  const yH = new Float32Array(batch * hidden);
  for (let t = 0; t < maxLen; t++) {
    const bad = h.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      if (Number.isNaN(h[bad])) throw new QconformError('nan_input', `${WHAT}: h at step ${t}, element ${bad}`, Number.NaN, "ORT quantizes h as DynamicQuantizeLinear does: MlasFindMinMaxElement's result then depends on the vector lane holding the NaN");
      throw new QconformError('unsupported_by_scheme', `${WHAT}: h at step ${t}, element ${bad}`, h[bad], 'an infinite h quantized as DynamicQuantizeLinear does was not measured against ORT 1.30');
    }
    const gates = quantizedGemm(h, batch, r, rScales, g.rZeroPoints[d]!, g, xw.subarray(t * batch * h4, (t + 1) * batch * h4));
    const next = new Float32Array(batch * hidden);
    for (let row = 0; row < batch; row++) {
      if (t >= lens[row]!) continue;
      const activate = (block: number, j: number, peephole: number | null, fn: RnnActivation) => {
        const gate = gates[row * h4 + block * hidden + j] as number;
        const pre = peephole === null ? gate : f32Add(gate, peephole);
        return lstmGateActivation(fn, clipWithBias(pre, bias ? (bias[block * hidden + j] as number) : null, g.clip));
      };
      for (let j = 0; j < hidden; j++) {
        const cPrev = cell[row * hidden + j] as number;
        const peep = (k: number, c: number) => (p ? f32Mul(c, p[k * hidden + j] as number) : null);
        const i = activate(0, j, peep(0, cPrev), act.f);
        const f = g.inputForget ? f32Sub(1, i) : activate(2, j, peep(2, cPrev), act.f);
        const c = activate(3, j, null, act.g);
        const cNow = f32Add(f32Mul(cPrev, f), f32Mul(i, c));
        cell[row * hidden + j] = cNow;
        const o = activate(1, j, peep(1, cNow), act.f);
        next[row * hidden + j] = lstmOutputActivation(act.h, cNow, o);
      }
      const rowH = next.subarray(row * hidden, (row + 1) * hidden);
      y.set(rowH, ((reverse ? lens[row]! - 1 - t : t) * batch + row) * hidden);
      if (t === lens[row]! - 1) yH.set(rowH, row * hidden);
    }
    h = next;
  }
  for (let row = 0; row < batch; row++) if (lens[row] === 0) cell.fill(0, row * hidden, (row + 1) * hidden);
  return { y, yH, yC: cell };
}

export function dynamicQuantizeLstm(a: DynamicQuantizeLstmArgs): DynamicQuantizeLstmResult {
  const g = checkDynamicQuantizeLstm(a);
  const { seqLength, batch, hidden, directions: D } = g;
  const step = batch * hidden;
  const y = new Float32Array(seqLength * D * step);
  const yH = new Float32Array(D * step);
  const yC = new Float32Array(D * step);
  // LSTMBase::ComputeImpl: max(sequence_lens) = 0 zeroes every output before any arithmetic
  if (g.maxLen > 0) {
    for (let d = 0; d < D; d++) {
      const run = runDirection(a, g, d);
      for (let t = 0; t < seqLength; t++) y.set(run.y.subarray(t * step, (t + 1) * step), (t * D + d) * step);
      yH.set(run.yH, d * step);
      yC.set(run.yC, d * step);
    }
  }
  return { y: f32Tensor([seqLength, D, batch, hidden], y), yH: f32Tensor([D, batch, hidden], yH), yC: f32Tensor([D, batch, hidden], yC) };
}
