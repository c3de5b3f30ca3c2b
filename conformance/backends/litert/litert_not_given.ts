/**
 * quantized_conv2d@1 requests the litert backend does not give LiteRT.js 2.5.3, decided from the request before LiteRT
 * runs anything: LiteRT would trap, abort (which ends its wasm instance for the process), compute where the scheme's
 * library refuses, or could not take the input. Each is answered with the contract's answer marked `not_run` (../contract_answer_not_run.ts):
 * outputs where the contract computes, its refusal where it refuses (docs/protocol.md). Measured with the contract's
 * check bypassed (tests/backends/litert_scale_float32.test.ts, litert_big_multiplier.test.ts):
 *   - an x_scale or y_scale whose float32 is not a normal number (subnormal: 2^-133; 0: 1e-50; +inf: 1e39): compiling
 *     the model traps ("RuntimeError: null function or function signature mismatch") on both kernel paths (the
 *     QUANTIZEs around the conv carry those scales). The tflite schemes compute such a conv (y = the output zero point
 *     for a subnormal x_scale or +inf y_scale); xnnpack-fp32@1 refuses it (XNNPACK's !isnormal, contract/xnnpack_scale.ts);
 *   - a weight scale whose float32 is +inf: LiteRT aborts ("Aborted()"), on both paths. Every scheme refuses it (the
 *     tflite schemes: a non-finite effective scale, contract/effective_scale_finite.ts; xnnpack-fp32@1: !isnormal);
 *   - on the XNNPACK path, a weight scale whose float32 is subnormal or 0: xnnpack-fp32@1 refuses it (XNNPACK's
 *     !isnormal), LiteRT.js's delegate computes (y = the output zero point). On the builtin path LiteRT computes such a
 *     conv as the tflite schemes do: it is run;
 *   - on the builtin path, a QuantizeMultiplier exponent the scheme's MultiplyByQuantizedMultiplier shifts by in undefined
 *     C++ (single rounding e >= 31, double rounding e >= 32; contract/tflite_shift.ts), which the tflite schemes refuse:
 *     LiteRT computes the shift counts mod 64 / mod 32 (wasm), an answer of its build, not of the scheme;
 *   - an x of no element (C = 0, H = 0 or W = 0; N = 0 every LiteRT scheme refuses first, SCHEME_RULES emptyBatch), on
 *     both paths: LiteRT.js cannot make a Tensor of 0 elements (`new Tensor` throws "ERROR: [./third_party/odml/litert/
 *     litert/cc/litert_tensor_buffer.h:101]"), so the conv never runs. The tflite schemes compute such a conv (the
 *     requantized bias for C = 0, the conv over the padding alone for H or W of 0 with padding); xnnpack-fp32@1 refuses
 *     it (XNNPACK's xnn_status_invalid_parameter, contract/conv_input_extents.ts). Measured with the rule bypassed
 *     (tests/backends/litert_zero_extents.test.ts). An output channel count of 0 and an empty output the contract
 *     refuses for every scheme before.
 * Only scales whose float64 is positive and finite are looked at (the contract refuses the others as invalid input).
 */
import type { Conv2dArgs } from '../../../contract/conv.js';
import type { ConvGeometry } from '../../../contract/conv_checks.js';
import { isQconformError } from '../../../contract/errors.js';
import { isPositiveNormalFloat32 } from '../../../contract/float_bits.js';
import { quantizeMultiplier, tfliteEffectiveScale } from '../../../impl/requant/tflite_multiplier.js';
import { KERNEL_PATHS, type LitertScheme } from './conv_graph.js';

/** Whether `s` is a float64 scale the contract takes as a scale: positive and finite. */
const positiveFinite = (s: number) => Number.isFinite(s) && s > 0;

/** Why LiteRT.js is not given `a`'s float32 scales, or null (see the file comment). */
export function scalesNotGivenToLitert(a: Conv2dArgs, scheme: LitertScheme): string | null {
  for (const [name, s] of [['x_scale', a.xScale], ['y_scale', a.yScale]] as const) {
    if (positiveFinite(s) && !isPositiveNormalFloat32(s)) return `${name} ${s}, float32 ${Math.fround(s)}, is not a normal float32: LiteRT.js traps compiling its QUANTIZE ("null function or function signature mismatch")`;
  }
  const ws = Array.from(a.weightScales.data);
  const inf = ws.findIndex((s) => positiveFinite(s) && Math.fround(s) === Infinity);
  if (inf >= 0) return `weight_scales[${inf}] ${ws[inf]} is +inf in float32: LiteRT.js aborts`;
  if (KERNEL_PATHS[scheme] !== 'xnnpack') return null;
  const tiny = ws.findIndex((s) => positiveFinite(s) && !isPositiveNormalFloat32(s));
  if (tiny >= 0) return `weight_scales[${tiny}] ${ws[tiny]}, float32 ${Math.fround(ws[tiny]!)}, is not a normal float32, which XNNPACK refuses: LiteRT.js's XNNPACK delegate computes (y = the output zero point)`;
  return null;
}

/**
 * Why LiteRT.js is not given `a` for a QuantizeMultiplier exponent its builtin kernels shift by in undefined C++ (the
 * tflite schemes refuse it: impl's quantizeMultiplier, contract/tflite_shift.ts), or null.
 */
export function shiftNotGivenToLitert(a: Conv2dArgs, scheme: LitertScheme): string | null {
  if (KERNEL_PATHS[scheme] !== 'builtin') return null;
  try {
    for (const ws of a.weightScales.data) quantizeMultiplier(tfliteEffectiveScale({ xScale: a.xScale, wScale: ws, yScale: a.yScale }), scheme === 'tflite-single-rounding@1');
    return null;
  } catch (e) {
    if (!isQconformError(e)) throw e;
    return "its builtin kernels shift by a QuantizeMultiplier exponent in undefined C++, computed as wasm's shift counts mod 64 / mod 32, which the tflite schemes refuse";
  }
}

/** Why LiteRT.js is not given the conv of geometry `g` for an x of no element (see the file comment), or null. */
export function emptyInputNotGivenToLitert(g: Pick<ConvGeometry, 'n' | 'c' | 'h' | 'w'>): string | null {
  if (g.n * g.c * g.h * g.w > 0) return null;
  return `x [${g.n}, ${g.c}, ${g.h}, ${g.w}] has no element: LiteRT.js cannot make a Tensor of 0 elements ("ERROR: [./third_party/odml/litert/litert/cc/litert_tensor_buffer.h:101]")`;
}
