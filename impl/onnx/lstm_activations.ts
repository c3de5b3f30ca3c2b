/**
 * Fast twin of reference/onnx/lstm_activations.ts: ONNX Runtime 1.30's LSTM activations (rnn_helpers.cc
 * ActivationFuncByName for f and g, LstmMergeGatesFuncByName for h, rnn_activation_functors.h), on JS numbers rounded
 * to float32 after each operation, in the source's order.
 */
import type { RnnActivation } from '../../contract/rnn_activations.js';
import { QconformError } from '../../contract/errors.js';
import { f32Add, f32Div, f32Mul } from '../float32.js';
import { mlasLogisticFma3 } from './mlas_logistic.js';
import { mlasTanhFma3 } from './mlas_tanh.js';

/** Affine, LeakyRelu, ThresholdedRelu, HardSigmoid, Softsign (the scalar functors). */
function functor(a: RnnActivation, x: number): number {
  switch (a.name) {
    case 'affine':
      return f32Add(f32Mul(a.alpha, x), a.beta);
    case 'leakyrelu':
      return x >= 0 ? x : f32Mul(a.alpha, x);
    case 'thresholdedrelu':
      return x > a.alpha ? x : 0;
    case 'hardsigmoid': {
      const v = f32Add(f32Mul(a.alpha, x), a.beta);
      const lo = 0 < v ? v : 0; // std::max(0.0f, v): NaN and -0 give 0
      return lo < 1 ? lo : 1; // std::min(1.0f, lo)
    }
    case 'softsign':
      return f32Div(x, f32Add(1, Math.abs(x)));
    default:
      throw new Error(`lstm activation functor: ${a.name} is special-cased`);
  }
}

/** activation_f / activation_g applied to one gate input. */
export function lstmGateActivation(a: RnnActivation, x: number): number {
  if (a.name === 'sigmoid') return mlasLogisticFma3(x);
  if (a.name === 'tanh') return mlasTanhFma3(x);
  if (a.name === 'relu') {
    if (Number.isNaN(x) || Object.is(x, -0)) {
      throw new QconformError('unsupported_by_scheme', 'dynamic_quantize_lstm: Relu gate input', x, "MlasActivation's vector lanes (maxps(0, x)) and scalar tail (std::max) may differ on -0 and NaN: not modelled");
    }
    return 0 > x ? 0 : x; // maxps(0, x)
  }
  return functor(a, x);
}

/** activation_h: h_t from C_t and the output gate o. */
export function lstmOutputActivation(a: RnnActivation, c: number, o: number): number {
  if (a.name === 'sigmoid') return f32Mul(mlasLogisticFma3(c), o);
  if (a.name === 'tanh') return f32Mul(mlasTanhFma3(c), o);
  if (a.name === 'relu') return f32Mul(o, c > 0 ? c : 0);
  return f32Mul(o, functor(a, c));
}
