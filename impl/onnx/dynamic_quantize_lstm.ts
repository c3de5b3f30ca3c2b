/**
 * dynamic_quantize_lstm@1, fast twin of reference/onnx/dynamic_quantize_lstm.ts (ORT 1.30 com.microsoft
 * DynamicQuantizeLSTM, forward, uni_directional_lstm.cc): x W for all steps at once and h_{t-1} R at each step, each
 * operand quantized as DynamicQuantizeLinear does, the MLAS int8 GEMM, the scale output processor (ZeroMode, then
 * AccumulateMode: f32(f32(f32(acc) * m) + g)); the gates (peephole, Wb + Rb, clip, MLAS FMA3 logistic and tanh) and
 * C_t = f32(f32(C * f) + f32(i * c~)), h_t = f32(tanh(C_t) * o), on JS numbers rounded to float32.
 */
import { checkDynamicQuantizeLstm, type LstmGeometry } from '../../contract/dynamic_quantize_lstm_checks.js';
import { QconformError } from '../../contract/errors.js';
import { checkOutputScale } from '../../contract/matmul_integer_to_float_checks.js';
import { matmulGeometry } from '../../contract/onnx_matmul_checks.js';
import type { DynamicQuantizeLstmArgs } from '../../contract/onnx_qops.js';
import { type F32Tensor, type IntTensor, f32Tensor } from '../../contract/tensor.js';
import { f32Add, f32Mul, f32Sub } from '../float32.js';
import { dynamicQuantizeLinear } from '../quantize_linear.js';
import { gemmAccumulators } from './int_gemm.js';
import { mlasLogisticFma3 } from './mlas_logistic.js';
import { mlasTanhFma3 } from './mlas_tanh.js';

const WHAT = 'dynamic_quantize_lstm';

/** rnn_helpers.cc ComputeGemm for 8-bit weights (ZeroMode without `onto`, AccumulateMode onto it). */
function quantizedGemm(rows: Float32Array, m: number, weights: IntTensor, scales: F32Tensor, zeroPoint: number, g: LstmGeometry, onto: Float32Array | null): Float32Array {
  const q = dynamicQuantizeLinear(f32Tensor([rows.length], rows));
  const aScale = q.yScale.data[0] as number;
  const multipliers = Array.from(scales.data, (s) => {
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

export function dynamicQuantizeLstm(a: DynamicQuantizeLstmArgs): F32Tensor {
  const g = checkDynamicQuantizeLstm(a);
  const { seqLength, batch, hidden } = g;
  const h4 = 4 * hidden;
  const b = a.b?.data ?? null;
  const bias = b ? Float32Array.from({ length: h4 }, (_, c) => f32Add(b[c] as number, b[h4 + c] as number)) : null;
  const p = a.p?.data ?? null;
  const xw = quantizedGemm(a.x.data, seqLength * batch, a.w, a.wScale, g.wZeroPoint, g, null);
  let h = a.initialH ? Float32Array.from(a.initialH.data) : new Float32Array(batch * hidden);
  const cell = a.initialC ? Float32Array.from(a.initialC.data) : new Float32Array(batch * hidden);
  const y = new Float32Array(seqLength * batch * hidden);
  for (let t = 0; t < seqLength; t++) {
    const nan = h.findIndex(Number.isNaN);
    if (nan >= 0) throw new QconformError('nan_input', `${WHAT}: h at step ${t}, element ${nan}`, Number.NaN, "ORT quantizes h as DynamicQuantizeLinear does: MlasFindMinMaxElement's result then depends on the vector lane holding the NaN");
    const gates = quantizedGemm(h, batch, a.r, a.rScale, g.rZeroPoint, g, xw.subarray(t * batch * h4, (t + 1) * batch * h4));
    const next = new Float32Array(batch * hidden);
    for (let row = 0; row < batch; row++) {
      const activate = (block: number, j: number, peephole: number | null, f: (v: number) => number) => {
        const gate = gates[row * h4 + block * hidden + j] as number;
        const pre = peephole === null ? gate : f32Add(gate, peephole);
        return f(clipWithBias(pre, bias ? (bias[block * hidden + j] as number) : null, g.clip));
      };
      for (let j = 0; j < hidden; j++) {
        const cPrev = cell[row * hidden + j] as number;
        const peep = (k: number, c: number) => (p ? f32Mul(c, p[k * hidden + j] as number) : null);
        const i = activate(0, j, peep(0, cPrev), mlasLogisticFma3);
        const f = g.inputForget ? f32Sub(1, i) : activate(2, j, peep(2, cPrev), mlasLogisticFma3);
        const c = activate(3, j, null, mlasTanhFma3);
        const cNow = f32Add(f32Mul(cPrev, f), f32Mul(i, c));
        cell[row * hidden + j] = cNow;
        const o = activate(1, j, peep(1, cNow), mlasLogisticFma3);
        next[row * hidden + j] = f32Mul(mlasTanhFma3(cNow), o);
      }
    }
    h = next;
    y.set(next, t * batch * hidden);
  }
  return f32Tensor([seqLength, 1, batch, hidden], y);
}
