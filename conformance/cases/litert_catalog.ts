/**
 * The LiteRT vector set (vectors/litert-2.5): a generator within what TFLite's int8 convs take, its counts and
 * seed. Even indices ask for TFLite's builtin kernels (CONV_2D: tflite-single-rounding@1, DEPTHWISE_CONV_2D:
 * tflite-double-rounding@1), odd ones for the XNNPACK delegate (xnnpack-fp32@1); see
 * conformance/backends/litert/conv_graph.ts for how the scheme picks the path.
 */
import type { RequantScheme, WeightQuantization } from '../../contract/conv.js';
import type { CaseFactory } from './builders.js';
import { convRequest } from './conv_cases.js';
import { type DrawnGeometry, drawGeometry } from './conv_geometry.js';
import { drawConvValues, drawStress } from './conv_quant.js';

export const LITERT_GENERATOR_VERSION = 1;
export const LITERT_DEFAULT_SEED = 'qconform-litert-2.5-v1';

/** TFLite maps groups = 1 (CONV_2D) and groups = C (DEPTHWISE_CONV_2D); a grouped conv becomes one of them. */
function litertGeometry(g: DrawnGeometry): DrawnGeometry {
  if (g.kind !== 'grouped') return g;
  return { ...g, groups: 1, kind: 'dense' };
}

/**
 * TFLite int8 conv cases: quint8 or qint8 activations (the adapter shifts quint8 by 128 around TFLite's int8
 * kernel), symmetric int8 weights (TFLite's rule), per-tensor or per-channel, int32 bias or none, fused ReLU.
 * XNNPACK requires output_min < output_max, so ReLU never meets an output zero point at qmax; its cases keep
 * weights in [-127, 127] (TFLite's int8 spec, which the delegate relies on: see conv_graph.ts checkLitertRules).
 */
export const litertConvCase: CaseFactory = (r, index) => {
  const g = litertGeometry(drawGeometry(r));
  const builtin: RequantScheme = g.kind === 'depthwise' ? 'tflite-double-rounding@1' : 'tflite-single-rounding@1';
  const scheme: RequantScheme = index % 2 === 0 ? builtin : 'xnnpack-fp32@1';
  const dtype = r.bool(0.5) ? 'quint8' : 'qint8';
  const weightQuantization: WeightQuantization = r.bool(0.5) ? 'per_channel' : 'per_tensor';
  const rules = { xRange: dtype === 'quint8' ? ([0, 255] as const) : ([-128, 127] as const), weightZeroPoints: 'zero' as const, perChannel: weightQuantization === 'per_channel' };
  const v = drawConvValues(r, g, rules, drawStress(r));
  if (v.relu && v.yZeroPoint === rules.xRange[1]) v.relu = false;
  if (scheme === 'xnnpack-fp32@1') v.weight = v.weight.map((w) => Math.max(w, -127));
  return convRequest(g, v, { scheme, accumulator: 'int32_wrap', dtype, biasDtype: 'int32', weightQuantization });
};

export const LITERT_CATALOG: ReadonlyArray<{ op: 'quantized_conv2d@1'; count: number; factory: CaseFactory }> = [{ op: 'quantized_conv2d@1', count: 1200, factory: litertConvCase }];
