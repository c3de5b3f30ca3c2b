/**
 * The weight scales of torch's quantized conv2d and linears (static and dynamic) per scheme. torch itself never checks
 * a weight scale's sign: its onednn engine (qconv_prepack.cpp, qlinear_prepack.cpp) computes with zero and negative
 * weight scales, per tensor and per channel, deterministically (torch 1.13.0 and 2.6 measured:
 * tests/backends/torch_weight_scale_signs.test.ts), so torch-onednn@1 and torch-onednn@2 take any finite weight scale
 * (their formulas, reference/requant/torch_onednn.ts and torch_onednn_v2.ts, hold there bit for bit). Its qnnpack
 * engine raises on them; the other schemes were not run on them: there a weight scale must be > 0.
 */
import type { RequantScheme } from './conv.js';
import { isTorchOnednnScheme } from './conv_schemes.js';
import { QconformError } from './errors.js';

/** What torch 1.13.0 and 2.6 do on qnnpack with a zero or negative weight scale (the static ops' multiplier x_s * w_s / y_s, the dynamic one's x_s * w_s). */
const QNNPACK_REFUSAL = 'torch 1.13.0 and 2.6 on qnnpack raise "failed to create op with requantization scale: ...: requantization scale must be finite and positive" (the static and dynamic linear and quantized_conv2d alike)';

/** One weight scale `s` named `what` (e.g. "quantized_linear: weight_scales[1]"): finite; > 0 except on torch's onednn engine. */
export function validateWeightScale(what: string, scheme: RequantScheme, s: number): void {
  if (!Number.isFinite(s)) throw new QconformError('scale_not_finite', what, s);
  if (s > 0 || isTorchOnednnScheme(scheme)) return;
  const detail = scheme === 'torch-qnnpack@1' ? QNNPACK_REFUSAL : `zero and negative weight scales are modelled on torch-onednn@1 and torch-onednn@2 only, where torch computes with them; ${scheme}'s backend was not run on them`;
  throw new QconformError('scale_not_positive', what, s, detail);
}
