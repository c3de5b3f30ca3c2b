/**
 * dynamic_quantize_lstm@1, exact reference: com.microsoft DynamicQuantizeLSTM as onnxruntime 1.30's CPU kernel
 * computes it (contrib_ops/cpu/quantization/dynamic_quantize_lstm.cc -> LSTMBase::ComputeImpl ->
 * core/providers/cpu/rnn/uni_directional_lstm.cc UniDirectionalLstm::ComputeImpl and GateComputations, with
 * rnn_helpers.cc's quantized ComputeGemm and deepcpu functions), forward direction, one intra-op thread:
 *   1. x W for every step at once: x ([seq * batch, input]) quantized as DynamicQuantizeLinear does (GetQuantizationParameter
 *      then ParQuantizeLinearStd, i.e. MlasQuantizeLinear: reference/ops/quantize_linear.ts dynamicQuantizeLinear), the
 *      MLAS int8 GEMM (int_gemm.ts, b's first zero point) wrapped to int32, then MLAS_QGEMM_SCALE_BIAS_OUTPUT_PROCESSOR
 *      in ZeroMode: g = f32(f32(acc) * f32(x_scale * w_scale[c]))  (per tensor or per column c);
 *   2. each step t: h_{t-1} ([batch, H], initial_h or zeros) quantized the same way, its GEMM with R accumulated onto g
 *      (AccumulateMode, SSE2 mulps then addps): g = f32(f32(f32(acc) * f32(h_scale * r_scale[c])) + g);
 *   3. the gates of each batch row (GateComputations), g's blocks in i, o, f, c order, float32 steps in source order:
 *        peephole        g += f32(C * P)                     (elementwise_product; i and f with C_{t-1}, o with C_t)
 *        bias and clip   x = stdMax(-clip, stdMin(clip, f32(g + (Wb + Rb))))   (clip_add_bias; Wb + Rb rounded once, LoadBias)
 *                        without B: x = clip if g > clip, -clip if g < -clip, else g   (clip_ignore_bias)
 *        i = sigmoid(x_i), f = sigmoid(x_f) (input_forget: f = f32(1 - i)), c~ = tanh(x_c)
 *        C_t = f32(f32(C_{t-1} * f) + f32(i * c~))            (merge_lstm_gates_to_memory, no fma: baseline x86-64 build)
 *        o = sigmoid(x_o), h_t = f32(tanh(C_t) * o)          (tanh_m)
 *      sigmoid and tanh are MlasComputeLogistic / MlasComputeTanh, the FMA3 kernels (mlas_logistic.ts, mlas_tanh.ts).
 * Y[t, 0, b, :] = h_t. Floats by bit decomposition, exact rounding on rationals; integers as bigint.
 */
import { checkDynamicQuantizeLstm, type LstmGeometry } from '../../contract/dynamic_quantize_lstm_checks.js';
import { checkOutputScale } from '../../contract/matmul_integer_to_float_checks.js';
import { matmulGeometry } from '../../contract/onnx_matmul_checks.js';
import type { DynamicQuantizeLstmArgs } from '../../contract/onnx_qops.js';
import { QconformError } from '../../contract/errors.js';
import { type F32Tensor, type IntTensor, f32Tensor } from '../../contract/tensor.js';
import { f32Add, f32Mul, f32Sub, intToF32 } from '../exact/float_arith.js';
import { fromFloat32, toNumber } from '../exact/ieee_bits.js';
import { ieeeLess, stdMax, stdMin } from '../exact/ieee_compare.js';
import { type IeeeValue, finite, isNaNValue } from '../exact/ieee_value.js';
import { Rational } from '../exact/rational.js';
import { wrapInt32 } from '../exact/x86_conversions.js';
import { dynamicQuantizeLinear } from '../ops/quantize_linear.js';
import { toF32Tensor } from '../values.js';
import { gemmAccumulator } from './int_gemm.js';
import { mlasLogisticFma3 } from './mlas_logistic.js';
import { mlasTanhFma3 } from './mlas_tanh.js';

const WHAT = 'dynamic_quantize_lstm';
const ZERO = finite(Rational.ZERO);

/**
 * rnn_helpers.cc ComputeGemm for 8-bit weights: `rows` ([M, K] float32) quantized as DynamicQuantizeLinear does, times
 * the weights ([1, K, N]) by MLAS, through the scale output processor: ZeroMode without `onto`, AccumulateMode onto it.
 */
function quantizedGemm(rows: readonly IeeeValue[], m: number, weights: IntTensor, scales: F32Tensor, zeroPoint: number, g: LstmGeometry, onto: readonly IeeeValue[] | null): IeeeValue[] {
  const q = dynamicQuantizeLinear(f32Tensor([rows.length], rows.map(toNumber)));
  const aScale = fromFloat32(q.yScale.data[0] as number);
  const multipliers = Array.from(scales.data, (s) => {
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

export function dynamicQuantizeLstm(a: DynamicQuantizeLstmArgs): F32Tensor {
  const g = checkDynamicQuantizeLstm(a);
  const { seqLength, batch, hidden } = g;
  const h4 = 4 * hidden;
  const clip = fromFloat32(g.clip);
  const negClip = fromFloat32(-g.clip);
  const b = a.b ? Array.from(a.b.data, fromFloat32) : null;
  // LoadBias: Wb + Rb per gate column, one float32 add
  const bias = b ? Array.from({ length: h4 }, (_, c) => f32Add(b[c]!, b[h4 + c]!)) : null;
  const p = a.p ? Array.from(a.p.data, fromFloat32) : null;
  const x = Array.from(a.x.data, fromFloat32);
  const xw = quantizedGemm(x, seqLength * batch, a.w, a.wScale, g.wZeroPoint, g, null);
  let h = a.initialH ? Array.from(a.initialH.data, fromFloat32) : new Array<IeeeValue>(batch * hidden).fill(ZERO);
  const cell = a.initialC ? Array.from(a.initialC.data, fromFloat32) : new Array<IeeeValue>(batch * hidden).fill(ZERO);
  const y: IeeeValue[] = [];
  for (let t = 0; t < seqLength; t++) {
    const nan = h.findIndex(isNaNValue);
    if (nan >= 0) throw new QconformError('nan_input', `${WHAT}: h at step ${t}, element ${nan}`, Number.NaN, "ORT quantizes h as DynamicQuantizeLinear does: MlasFindMinMaxElement's result then depends on the vector lane holding the NaN");
    const gates = quantizedGemm(h, batch, a.r, a.rScale, g.rZeroPoint, g, xw.slice(t * batch * h4, (t + 1) * batch * h4));
    const next: IeeeValue[] = [];
    for (let row = 0; row < batch; row++) {
      const gate = (block: number, j: number) => gates[row * h4 + block * hidden + j]!;
      const activate = (block: number, j: number, peephole: IeeeValue | null, f: (v: IeeeValue) => IeeeValue) => {
        const pre = peephole ? f32Add(gate(block, j), peephole) : gate(block, j);
        return f(clipWithBias(pre, bias ? bias[block * hidden + j]! : null, clip, negClip));
      };
      for (let j = 0; j < hidden; j++) {
        const cPrev = cell[row * hidden + j]!;
        const peep = (k: number, c: IeeeValue) => (p ? f32Mul(c, p[k * hidden + j]!) : null);
        const i = activate(0, j, peep(0, cPrev), mlasLogisticFma3);
        const f = g.inputForget ? f32Sub(intToF32(1n), i) : activate(2, j, peep(2, cPrev), mlasLogisticFma3);
        const c = activate(3, j, null, mlasTanhFma3);
        const cNow = f32Add(f32Mul(cPrev, f), f32Mul(i, c));
        cell[row * hidden + j] = cNow;
        const o = activate(1, j, peep(1, cNow), mlasLogisticFma3);
        next.push(f32Mul(mlasTanhFma3(cNow), o));
      }
    }
    h = next;
    y.push(...next);
  }
  return toF32Tensor([seqLength, 1, batch, hidden], y);
}
