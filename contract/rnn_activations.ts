/**
 * The activations attribute of ONNX Runtime 1.30's CPU LSTM (core/providers/cpu/rnn/rnn_helpers.cc ActivationFuncs,
 * NormalizeActivationArgumentAndGetAlphaBetaCount; lstm_base.h), checked once for reference/ and impl/:
 * `activations` absent means Sigmoid, Tanh, Tanh per direction; else exactly 3 * num_directions names (LSTMBase's
 * ORT_ENFORCE), each lower-cased, one of ORT's eleven (else ORT throws: malformed_request). Each name takes its alpha
 * and beta from activation_alpha / activation_beta in order, only if it uses them (NameToArgUsageMap), the default
 * (NameToArgDefaultsMap: LeakyRelu 0.01, HardSigmoid 0.2 / 0.5, Elu 1; else 0) once the list runs out; the values are
 * float32 attributes, any value: ORT checks none (set_if_needed copies each as it is), so +-inf, NaN and a float64 that
 * rounds to +-inf in float32 (+-1e39) are computed with (reference/onnx/lstm_activations.ts; where one makes an h_t
 * that the next step quantizes NaN or infinite, reference/onnx/dynamic_quantize_lstm.ts refuses that h as it refuses
 * any). Measured live in tests/backends/ort_qlstm_activation_params.test.ts. Entries per direction: f (i, f, o gates),
 * g (the block gate), h (applied to C_t, times o).
 *
 * Modelled: Sigmoid and Tanh (MLAS's logistic and tanh kernels), Relu, Affine, LeakyRelu, ThresholdedRelu,
 * HardSigmoid, Softsign (plain float32 arithmetic, rnn_activation_functors.h). Refused (unsupported_by_scheme):
 * ScaledTanh, Elu and Softplus, which call the C library's tanhf / expf / logf (not modelled bit for bit).
 */
import { QconformError } from './errors.js';
import { validateList, validateNumber } from './validate.js';

export type RnnActivationName = 'sigmoid' | 'tanh' | 'relu' | 'affine' | 'leakyrelu' | 'thresholdedrelu' | 'hardsigmoid' | 'softsign';

export interface RnnActivation {
  readonly name: RnnActivationName;
  /** float32, any value (+-inf and NaN too); 0 when the function takes none */
  readonly alpha: number;
  readonly beta: number;
}

/** One direction's f, g and h. */
export interface LstmActivations {
  readonly f: RnnActivation;
  readonly g: RnnActivation;
  readonly h: RnnActivation;
}

/** NameToArgUsageMap (needs alpha, needs beta) and NameToArgDefaultsMap. */
const USAGE: Record<string, readonly [boolean, boolean]> = {
  affine: [true, true], relu: [false, false], leakyrelu: [true, false], thresholdedrelu: [true, false], tanh: [false, false], scaledtanh: [true, true],
  sigmoid: [false, false], hardsigmoid: [true, true], elu: [true, false], softsign: [false, false], softplus: [false, false],
};
const DEFAULTS: Record<string, readonly [number, number]> = { leakyrelu: [Math.fround(0.01), 0], hardsigmoid: [Math.fround(0.2), 0.5], elu: [1, 0] };
const LIBM = new Set(['scaledtanh', 'elu', 'softplus']);

export function checkLstmActivations(what: string, names: readonly string[] | null, alphas: readonly number[] | null, betas: readonly number[] | null, directions: number): LstmActivations[] {
  for (const [field, v] of [['activations', names], ['activation_alpha', alphas], ['activation_beta', betas]] as const) {
    if (v !== null) validateList(`${what}: ${field}`, v, field === 'activations' ? 'a list of names, or null' : 'a list of numbers, or null');
  }
  const list = names ?? Array.from({ length: directions }, () => ['Sigmoid', 'Tanh', 'Tanh']).flat();
  if (list.length !== 3 * directions) throw new QconformError('malformed_request', `${what}: activations`, names, `3 * num_directions = ${3 * directions} names (ORT 1.30 LSTMBase)`);
  let a = 0;
  let b = 0;
  const entries = list.map((raw, k): RnnActivation => {
    if (typeof raw !== 'string') throw new QconformError('malformed_request', `${what}: activations[${k}]`, raw, 'an activation name (a string)');
    const name = raw.toLowerCase();
    const usage = Object.hasOwn(USAGE, name) ? USAGE[name] : undefined;
    if (!usage) throw new QconformError('malformed_request', `${what}: activations[${k}]`, raw, 'one of Affine, Relu, LeakyRelu, ThresholdedRelu, Tanh, ScaledTanh, Sigmoid, HardSigmoid, Elu, Softsign, Softplus (any case)');
    if (LIBM.has(name)) throw new QconformError('unsupported_by_scheme', `${what}: activations[${k}]`, raw, 'ScaledTanh, Elu and Softplus call the C library (tanhf, expf, logf): not modelled');
    const [da, db] = DEFAULTS[name] ?? [0, 0];
    const alpha = usage[0] ? (alphas && a < alphas.length ? alphas[a++]! : da) : 0;
    const beta = usage[1] ? (betas && b < betas.length ? betas[b++]! : db) : 0;
    for (const [which, v] of [['alpha', alpha], ['beta', beta]] as const) {
      validateNumber(`${what}: activation_${which} of activations[${k}]`, v);
    }
    return { name: name as RnnActivationName, alpha: Math.fround(alpha), beta: Math.fround(beta) };
  });
  return Array.from({ length: directions }, (_, d) => ({ f: entries[3 * d]!, g: entries[3 * d + 1]!, h: entries[3 * d + 2]! }));
}
