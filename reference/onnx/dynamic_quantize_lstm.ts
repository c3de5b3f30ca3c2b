/**
 * dynamic_quantize_lstm@1, exact reference: com.microsoft DynamicQuantizeLSTM as onnxruntime 1.30's CPU kernel
 * computes it (contrib_ops/cpu/quantization/dynamic_quantize_lstm.cc -> LSTMBase::ComputeImpl ->
 * core/providers/cpu/rnn/uni_directional_lstm.cc UniDirectionalLstm::ComputeImpl and GateComputations, with
 * rnn_helpers.cc's quantized ComputeGemm, ReverseSequence and deepcpu functions), one intra-op thread. Each direction
 * (forward; reverse; bidirectional = forward then reverse, each with its own W, R, B, P, states, scales, zero points
 * and activations) runs max_len = max(sequence_lens) steps (seq_length without sequence_lens; none when max_len is
 * 0: every output 0):
 *   0. reverse: row b's inputs x[0 .. len_b - 1] in reverse order, x[t] itself for t >= len_b (ReverseSequence);
 *   1. x W for every step at once: x ([max_len * batch, input]) quantized as DynamicQuantizeLinear does (GetQuantizationParameter
 *      then ParQuantizeLinearStd, i.e. MlasQuantizeLinear: reference/ops/quantize_linear.ts dynamicQuantizeLinear), the
 *      MLAS int8 GEMM (int_gemm.ts, b's first zero point) wrapped to int32, then MLAS_QGEMM_SCALE_BIAS_OUTPUT_PROCESSOR
 *      in ZeroMode: g = f32(f32(acc) * f32(x_scale * w_scale[c]))  (per tensor or per column c);
 *   2. each step t: h_{t-1} ([batch, H]: initial_h or zeros at t = 0, then the previous step's output rows, 0 for a
 *      row past its length) quantized the same way, its GEMM with R accumulated onto g
 *      (AccumulateMode, SSE2 mulps then addps): g = f32(f32(f32(acc) * f32(h_scale * r_scale[c])) + g);
 *   3. the gates of each batch row with t < len_b (GateComputations), g's blocks in i, o, f, c order, float32 steps in
 *      source order, f / g / h the direction's activations (lstm_activations.ts; the defaults Sigmoid, Tanh, Tanh):
 *        peephole        g += f32(C * P)                     (elementwise_product; i and f with C_{t-1}, o with C_t)
 *        bias and clip   x = stdMax(-clip, stdMin(clip, f32(g + (Wb + Rb))))   (clip_add_bias; Wb + Rb rounded once, LoadBias)
 *                        without B: x = clip if g > clip, -clip if g < -clip, else g   (clip_ignore_bias)
 *        i = f(x_i), f = f(x_f) (input_forget: f = f32(1 - i)), c~ = g(x_c)
 *        C_t = f32(f32(C_{t-1} * f) + f32(i * c~))            (merge_lstm_gates_to_memory, no fma: baseline x86-64 build)
 *        o = f(x_o), h_t = h(C_t, o)                         (tanh_m: f32(tanh(C_t) * o))
 * Y[t', d, b, :] = h_t with t' = t (forward) or len_b - 1 - t (reverse), 0 for t' >= len_b; Y_h[d, b] the last h_t and
 * Y_c[d, b] the last C_t of row b (0 when len_b = 0). h_{t-1} holding a NaN or an infinity is refused (nan_input /
 * unsupported_by_scheme: its quantization was not measured). Floats by bit decomposition, exact rounding on rationals;
 * integers as bigint.
 */
import { checkDynamicQuantizeLstm, type LstmGeometry } from '../../contract/dynamic_quantize_lstm_checks.js';
import { checkOutputScale } from '../../contract/matmul_integer_to_float_checks.js';
import { matmulGeometry } from '../../contract/onnx_matmul_checks.js';
import type { DynamicQuantizeLstmArgs, DynamicQuantizeLstmResult } from '../../contract/onnx_qops.js';
import { QconformError } from '../../contract/errors.js';
import type { RnnActivation } from '../../contract/rnn_activations.js';
import { type IntTensor, f32Tensor, intTensor } from '../../contract/tensor.js';
import { f32Add, f32Mul, f32Sub, intToF32 } from '../exact/float_arith.js';
import { fromFloat32, toNumber } from '../exact/ieee_bits.js';
import { ieeeLess, stdMax, stdMin } from '../exact/ieee_compare.js';
import { type IeeeValue, isNaNValue } from '../exact/ieee_value.js';
import { wrapInt32 } from '../exact/x86_conversions.js';
import { dynamicQuantizeLinear } from '../ops/quantize_linear.js';
import { toF32Tensor } from '../values.js';
import { gemmAccumulator } from './int_gemm.js';
import { lstmGateActivation, lstmOutputActivation } from './lstm_activations.js';
import { ZERO_F32 as ZERO } from '../constants.js';

const WHAT = 'dynamic_quantize_lstm';

/**
 * rnn_helpers.cc ComputeGemm for 8-bit weights: `rows` ([M, K] float32) quantized as DynamicQuantizeLinear does, times
 * the weights ([1, K, N]) by MLAS, through the scale output processor: ZeroMode without `onto`, AccumulateMode onto it.
 */
function quantizedGemm(rows: readonly IeeeValue[], m: number, weights: IntTensor, scales: readonly number[], zeroPoint: number, g: LstmGeometry, onto: readonly IeeeValue[] | null): IeeeValue[] {
  const q = dynamicQuantizeLinear(toF32Tensor([rows.length], rows));
  const aScale = fromFloat32(q.yScale.data[0] as number);
  const multipliers = scales.map((s) => {
    const multiplier = f32Mul(aScale, fromFloat32(s));
    checkOutputScale(WHAT, toNumber(multiplier));
    return multiplier;
  });
  const k = rows.length / m;
  const geometry = { ...matmulGeometry(WHAT, { shape: [m, k] }, weights, null), aDtype: 'quint8' as const, bDtype: g.weightDtype };
  const batch = geometry.batches[0]!;
  const operands = { a: q.y.data, b: weights.data, za: BigInt(q.yZeroPoint.data[0] as number), zb: () => BigInt(zeroPoint) };
  const out: IeeeValue[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < geometry.n; j++) {
      const scaled = f32Mul(intToF32(wrapInt32(gemmAccumulator(geometry, operands, batch, i, j, g.accumulator))), multipliers[multipliers.length === 1 ? 0 : j]!);
      out.push(onto ? f32Add(scaled, onto[i * geometry.n + j]!) : scaled);
    }
  }
  return out;
}

/** clip_add_bias (with a bias) or clip_ignore_bias (without): the gate's input to its activation. */
function clipWithBias(x: IeeeValue, bias: IeeeValue | null, clip: IeeeValue, negClip: IeeeValue): IeeeValue {
  if (bias) return stdMax(negClip, stdMin(clip, f32Add(x, bias)));
  if (ieeeLess(clip, x)) return clip;
  return ieeeLess(x, negClip) ? negClip : x;
}

/** The d-th of D equal slices of a tensor's data (W, R, B, P, the states; a [D] or [D, 4H] scale), or null. */
function slice<T>(data: ArrayLike<T> | undefined, d: number, directions: number): T[] | null {
  if (!data) return null;
  const n = data.length / directions;
  return Array.from({ length: n }, (_, k) => data[d * n + k]!);
}

interface DirectionOut {
  /** [seq, batch, H] in the output's time order (zeros past each row's length) */
  readonly y: IeeeValue[];
  readonly yH: IeeeValue[];
  readonly yC: IeeeValue[];
}

/** UniDirectionalLstm::ComputeImpl of direction d. */
function runDirection(a: DynamicQuantizeLstmArgs, g: LstmGeometry, d: number): DirectionOut {
  const { seqLength, batch, inputSize, hidden, sequenceLens: lens, maxLen } = g;
  const h4 = 4 * hidden;
  const D = g.directions;
  const reverse = g.reverse[d]!;
  const act = g.activations[d]!;
  const clip = fromFloat32(g.clip);
  const negClip = fromFloat32(-g.clip);
  const b = slice(a.b?.data, d, D)?.map(fromFloat32) ?? null;
  // LoadBias: Wb + Rb per gate column, one float32 add
  const bias = b ? Array.from({ length: h4 }, (_, c) => f32Add(b[c]!, b[h4 + c]!)) : null;
  const p = slice(a.p?.data, d, D)?.map(fromFloat32) ?? null;
  const w = intTensor(a.w.dtype, [1, inputSize, h4], slice(a.w.data, d, D)!);
  const r = intTensor(a.r.dtype, [1, hidden, h4], slice(a.r.data, d, D)!);
  // ReverseSequence: row b's first len_b steps reversed, the rest as they are; only max_len steps are multiplied
  const x: IeeeValue[] = [];
  for (let t = 0; t < maxLen; t++) {
    for (let row = 0; row < batch; row++) {
      const src = reverse && t < lens[row]! ? lens[row]! - 1 - t : t;
      for (let k = 0; k < inputSize; k++) x.push(fromFloat32(a.x.data[(src * batch + row) * inputSize + k] as number));
    }
  }
  const xw = quantizedGemm(x, maxLen * batch, w, slice(a.wScale.data, d, D)!, g.wZeroPoints[d]!, g, null);
  const rScales = slice(a.rScale.data, d, D)!;
  let h = slice(a.initialH?.data, d, D)?.map(fromFloat32) ?? new Array<IeeeValue>(batch * hidden).fill(ZERO);
  const cell = slice(a.initialC?.data, d, D)?.map(fromFloat32) ?? new Array<IeeeValue>(batch * hidden).fill(ZERO);
  const y = new Array<IeeeValue>(seqLength * batch * hidden).fill(ZERO);
  const yH = new Array<IeeeValue>(batch * hidden).fill(ZERO);
  for (let t = 0; t < maxLen; t++) {
    const bad = h.findIndex((v) => v.kind !== 'finite');
    if (bad >= 0) {
      if (isNaNValue(h[bad]!)) throw new QconformError('nan_input', `${WHAT}: h at step ${t}, element ${bad}`, Number.NaN, "ORT quantizes h as DynamicQuantizeLinear does: MlasFindMinMaxElement's result then depends on the vector lane holding the NaN");
      throw new QconformError('unsupported_by_scheme', `${WHAT}: h at step ${t}, element ${bad}`, toNumber(h[bad]!), 'an infinite h quantized as DynamicQuantizeLinear does was not measured against ORT 1.30');
    }
    const gates = quantizedGemm(h, batch, r, rScales, g.rZeroPoints[d]!, g, xw.slice(t * batch * h4, (t + 1) * batch * h4));
    const next = new Array<IeeeValue>(batch * hidden).fill(ZERO);
    for (let row = 0; row < batch; row++) {
      if (t >= lens[row]!) continue; // GateComputations: the row's output stays 0, its C unchanged
      const gate = (block: number, j: number) => gates[row * h4 + block * hidden + j]!;
      const activate = (block: number, j: number, peephole: IeeeValue | null, fn: RnnActivation) => {
        const pre = peephole ? f32Add(gate(block, j), peephole) : gate(block, j);
        return lstmGateActivation(fn, clipWithBias(pre, bias ? bias[block * hidden + j]! : null, clip, negClip));
      };
      for (let j = 0; j < hidden; j++) {
        const cPrev = cell[row * hidden + j]!;
        const peep = (k: number, c: IeeeValue) => (p ? f32Mul(c, p[k * hidden + j]!) : null);
        const i = activate(0, j, peep(0, cPrev), act.f);
        const f = g.inputForget ? f32Sub(intToF32(1n), i) : activate(2, j, peep(2, cPrev), act.f);
        const c = activate(3, j, null, act.g);
        const cNow = f32Add(f32Mul(cPrev, f), f32Mul(i, c));
        cell[row * hidden + j] = cNow;
        const o = activate(1, j, peep(1, cNow), act.f);
        next[row * hidden + j] = lstmOutputActivation(act.h, cNow, o);
      }
      const out = reverse ? lens[row]! - 1 - t : t;
      for (let j = 0; j < hidden; j++) {
        y[(out * batch + row) * hidden + j] = next[row * hidden + j]!;
        if (t === lens[row]! - 1) yH[row * hidden + j] = next[row * hidden + j]!;
      }
    }
    h = next;
  }
  // Y_c: the cell state after a row's last step (copied at step + 1 == len_b), 0 for len_b = 0
  const yC = cell.map((v, k) => (lens[Math.floor(k / hidden)]! === 0 ? ZERO : v));
  return { y, yH, yC };
}

/** DynamicQuantizeLSTM::Compute (contrib_ops/cpu/quantization/dynamic_quantize_lstm.cc) -> UniDirectionalLstm per direction, as above: int32 GEMM accumulators, float32 gate arithmetic rounded via reference/exact. */
export function dynamicQuantizeLstm(a: DynamicQuantizeLstmArgs): DynamicQuantizeLstmResult {
  const g = checkDynamicQuantizeLstm(a);
  const { seqLength, batch, hidden, directions: D } = g;
  const states = [D, batch, hidden];
  // LSTMBase::ComputeImpl: max(sequence_lens) = 0 zeroes every output before any arithmetic
  if (g.maxLen === 0) {
    const zeros = (shape: number[]) => f32Tensor(shape, new Float32Array(shape.reduce((m, n) => m * n, 1)));
    return { y: zeros([seqLength, D, batch, hidden]), yH: zeros(states), yC: zeros(states) };
  }
  const runs = Array.from({ length: D }, (_, d) => runDirection(a, g, d));
  const step = batch * hidden;
  const y: IeeeValue[] = [];
  // element by element: spreading a step of a wide batch into push() overflows the call stack
  for (let t = 0; t < seqLength; t++) for (const run of runs) for (let i = t * step; i < (t + 1) * step; i++) y.push(run.y[i]!);
  return { y: toF32Tensor([seqLength, D, batch, hidden], y), yH: toF32Tensor(states, runs.flatMap((run) => run.yH)), yC: toF32Tensor(states, runs.flatMap((run) => run.yC)) };
}
