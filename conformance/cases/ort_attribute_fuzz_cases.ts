/**
 * What `--fuzz` (and the ops' agreement properties) draws for ORT float attributes beyond the committed
 * vectors/onnxruntime-1.30-ops set, whose generators (onnx_qops_cases.ts, onnx_qlstm_cases.ts) draw only ordinary
 * values and must keep writing byte-identical files. ORT 1.30 reads these attributes as float32 and checks none, and
 * qconform computes with whatever they hold (measured through onnxruntime-node 1.30):
 *   - qgemm@1 alpha (quant_gemm.cc; tests/backends/ort_qgemm_alpha.test.ts) and qlinear_leaky_relu@1 alpha
 *     (qlinear_activations.cc; tests/backends/ort_leaky_relu_alpha.test.ts): any float32, NaN bits and +-inf
 *     included, and float64s that round to +-inf (any_float32_hex.ts);
 *   - dynamic_quantize_lstm@1 activation_alpha / activation_beta: +-inf, NaNs and +-1e39 (rnn_helpers.cc;
 *     contract/rnn_activations.ts; tests/backends/ort_qlstm_activation_params.test.ts).
 * Each wrapper draws the set generator's case first, then its own draws, so a seed's set case is untouched and only
 * then changed.
 */
import type { CaseFactory } from './builders.js';
import { drawAnyFloat32Hex, NON_FINITE_F32_HEX } from './any_float32_hex.js';
import { dynamicQuantizeLstmCase } from './onnx_qlstm_cases.js';
import { qgemmCase, qlinearLeakyReluCase } from './onnx_qops_cases.js';

/** The share of drawn cases whose alpha is drawn anew from any float32 (drawAnyFloat32Hex). */
export const ANY_ALPHA_RATE = 0.25;
/** The share of LSTM cases with non-default activations that get non-finite activation_alpha / activation_beta entries. */
export const NON_FINITE_ACTIVATION_PARAMS_RATE = 0.5;

const withAnyAlpha = (factory: CaseFactory): CaseFactory => (r, index) => {
  const c = factory(r, index);
  if (r.bool(ANY_ALPHA_RATE)) c.attrs = { ...c.attrs, alpha: drawAnyFloat32Hex(r) };
  return c;
};

export const qgemmFuzzCase = withAnyAlpha(qgemmCase);
export const qlinearLeakyReluFuzzCase = withAnyAlpha(qlinearLeakyReluCase);

/**
 * dynamicQuantizeLstmCase, and where it drew activations (any but the spelled-out defaults' lists of 3 per direction
 * still qualify), one or two entries of activation_alpha or activation_beta made non-finite (the list made, of 0.5s,
 * when the case has none).
 */
export const dynamicQuantizeLstmFuzzCase: CaseFactory = (r, index) => {
  const c = dynamicQuantizeLstmCase(r, index);
  const attrs = c.attrs as Record<string, unknown>;
  const activations = attrs.activations as string[] | undefined;
  if (!activations || !r.bool(NON_FINITE_ACTIVATION_PARAMS_RATE)) return c;
  const name = r.bool(0.5) ? 'activation_alpha' : 'activation_beta';
  const list = [...((attrs[name] as string[] | undefined) ?? Array.from({ length: activations.length }, () => '3fe0000000000000'))];
  for (let k = r.int(1, 2); k > 0; k--) list[r.int(0, list.length - 1)] = r.pick(NON_FINITE_F32_HEX);
  attrs[name] = list;
  return c;
};
