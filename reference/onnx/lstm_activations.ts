/**
 * The LSTM activations of ONNX Runtime 1.30's CPU kernel (core/providers/cpu/rnn/rnn_helpers.cc deepcpu
 * ActivationFuncByName for f and g, LstmMergeGatesFuncByName for h; the scalar functors of rnn_activation_functors.h),
 * exact: each float32 operation rounded once on rationals, in the source's order (no FMA: ORT's baseline x86-64 build).
 *   f / g (in place on a gate):  sigmoid, tanh  MlasComputeLogistic / MlasComputeTanh (FMA3 kernels)
 *                                relu           MlasActivation(MlasReluActivation): maxps(0, x); its scalar tail may
 *                                               be std::max(0.0f, x), which differs on -0 and NaN: both refused
 *                                affine         f32(f32(alpha * x) + beta)
 *                                leakyrelu      x >= 0 ? x : f32(alpha * x)
 *                                thresholdedrelu x > alpha ? x : 0
 *                                hardsigmoid    std::min(1.0f, std::max(0.0f, f32(f32(alpha * x) + beta)))
 *                                softsign       f32(x / f32(1 + fabs(x)))
 *   h (C_t and o to h_t):        sigmoid_m, tanh_m  f32(Logistic(C) * o), f32(Tanh(C) * o)
 *                                relu_m         f32(o * (C > 0 ? C : 0))
 *                                others         composed_m: f32(o * func(C)) with func one of the scalar functors above
 * alpha and beta are any float32 (ORT checks none): IEEE float32 with x86's NaN rules decides what +-inf or NaN give
 * (0 * inf and inf - inf the default NaN 0xffc00000, a NaN operand propagating; comparisons with NaN false, so
 * ThresholdedRelu with alpha NaN gives 0 and HardSigmoid's std::max(0, NaN) gives 0). Measured live on onnxruntime-node
 * 1.30 (tests/backends/ort_qlstm_activation_params.test.ts).
 */
import type { RnnActivation } from '../../contract/rnn_activations.js';
import { QconformError } from '../../contract/errors.js';
import { f32Add, f32Div, f32Mul, ieeeNeg, intToF32 } from '../exact/float_arith.js';
import { fromFloat32 } from '../exact/ieee_bits.js';
import { ieeeLess, ieeeLessEqual, maxps, stdMax, stdMin } from '../exact/ieee_compare.js';
import { type IeeeValue, isNaNValue } from '../exact/ieee_value.js';
import { mlasLogisticFma3 } from './mlas_logistic.js';
import { mlasTanhFma3 } from './mlas_tanh.js';
import { ZERO_F32 as ZERO } from '../constants.js';

const ONE = intToF32(1n);

/** The scalar functors (rnn_activation_functors.h) other than Sigmoid / Tanh / Relu, which ORT special-cases. */
function functor(a: RnnActivation, x: IeeeValue): IeeeValue {
  const alpha = fromFloat32(a.alpha);
  const beta = fromFloat32(a.beta);
  switch (a.name) {
    case 'affine':
      return f32Add(f32Mul(alpha, x), beta);
    case 'leakyrelu':
      return ieeeLessEqual(ZERO, x) ? x : f32Mul(alpha, x);
    case 'thresholdedrelu':
      return ieeeLess(alpha, x) ? x : ZERO;
    case 'hardsigmoid':
      return stdMin(ONE, stdMax(ZERO, f32Add(f32Mul(alpha, x), beta)));
    case 'softsign':
      return f32Div(x, f32Add(ONE, x.negative ? ieeeNeg(x) : x)); // fabs clears the sign bit, of a NaN too;
    default:
      throw new Error(`lstm activation functor: ${a.name} is special-cased`);
  }
}

/** activation_f / activation_g on one gate input (deepcpu ActivationFuncByName, rnn_helpers.cc): the table above, float32 steps rounded once via reference/exact. */
export function lstmGateActivation(a: RnnActivation, x: IeeeValue): IeeeValue {
  if (a.name === 'sigmoid') return mlasLogisticFma3(x);
  if (a.name === 'tanh') return mlasTanhFma3(x);
  if (a.name === 'relu') {
    if (isNaNValue(x) || (x.kind === 'finite' && x.value.isZero() && x.negative)) {
      throw new QconformError('unsupported_by_scheme', 'dynamic_quantize_lstm: Relu gate input', x.kind === 'nan' ? Number.NaN : -0, "MlasActivation's vector lanes (maxps(0, x)) and scalar tail (std::max) may differ on -0 and NaN: not modelled");
    }
    return maxps(ZERO, x);
  }
  return functor(a, x);
}

/** activation_h: h_t from C_t and the output gate o (deepcpu LstmMergeGatesFuncByName, rnn_helpers.cc): the table above, float32 steps rounded once via reference/exact. */
export function lstmOutputActivation(a: RnnActivation, c: IeeeValue, o: IeeeValue): IeeeValue {
  if (a.name === 'sigmoid') return f32Mul(mlasLogisticFma3(c), o);
  if (a.name === 'tanh') return f32Mul(mlasTanhFma3(c), o);
  if (a.name === 'relu') return f32Mul(o, ieeeLess(ZERO, c) ? c : ZERO);
  return f32Mul(o, functor(a, c));
}
