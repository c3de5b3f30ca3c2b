/**
 * The TOSA vector set (vectors/tosa-mlir-19), written through MLIR 19's lowering of TOSA: requantize@1 as
 * tosa.rescale and quantized_conv2d@1 as tosa.conv2d / tosa.depthwise_conv2d + tosa.rescale. Even indices ask
 * for tosa-single-round@1, odd ones for tosa-double-round@1. Its counts and seed.
 */
import type { RequantScheme, WeightQuantization } from '../../contract/conv.js';
import { type CaseFactory, wireInt } from './builders.js';
import { convRequest } from './conv_cases.js';
import { drawGeometry } from './conv_geometry.js';
import { drawConvValues, drawStress } from './conv_quant.js';
import { drawAccumulators } from './requantize_cases.js';

export const TOSA_GENERATOR_VERSION = 1;
export const TOSA_DEFAULT_SEED = 'qconform-tosa-mlir-19-v1';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const schemeOf = (index: number): RequantScheme => (index % 2 === 0 ? 'tosa-single-round@1' : 'tosa-double-round@1');

/**
 * requantize@1 within TOSA RESCALE's domain: shifts mostly below 0 (TOSA right shift > 31, where double_round
 * differs), some in [0, 29] with the accumulators kept inside apply_scale_32's REQUIRE, multipliers of 2^30 with
 * accumulators on exact ties, 8-bit zero points; a few calls break a REQUIRE (shift 30, zero point 256,
 * multiplier < 0, an accumulator out of range, output_min > output_max) and expect the typed error.
 */
export const tosaRequantizeCase: CaseFactory = (r, index) => {
  const u = r.next();
  const shift = u < 0.65 ? r.int(-14, -1) : u < 0.8 ? r.int(0, 29) : u < 0.92 ? r.int(-31, -15) : r.pick([-31, -1, 0, 1, 29]);
  const ties = r.bool(0.3);
  let multiplier = ties ? 2 ** 30 : r.bool(0.85) ? r.int(2 ** 30, INT32_MAX) : r.pick([0, 1, 2 ** 30, INT32_MAX, r.int(0, INT32_MAX)]);
  const count = r.pick([1, 4, 8, 16, 37, 64]);
  const half = 2 ** (30 - shift);
  const acc = drawAccumulators(r, count, ties ? shift : 0).map((v) => (shift >= 0 && r.bool(0.98) ? Math.min(Math.max(v, -half), half - 1) : v));
  const range = r.pick([[-128, 127], [-128, 127], [0, 255], [INT32_MIN, INT32_MAX], [-32768, 32767]] as const);
  let zeroPoint = r.int(Math.max(range[0], -128), Math.min(range[1], 255));
  let outputMin: number = range[0];
  let outputMax: number = range[1];
  if (r.bool(0.2)) outputMin = Math.max(outputMin, zeroPoint); // relu
  let badShift = shift;
  if (r.bool(0.03)) {
    const broken = r.int(0, 3);
    if (broken === 0) multiplier = r.pick([-1, 2 ** 31]);
    if (broken === 1) badShift = r.pick([30, -32]);
    if (broken === 2) [outputMin, outputMax] = [outputMax, outputMin];
    if (broken === 3) zeroPoint = r.pick([256, -129]);
  }
  return {
    op: 'requantize@1',
    attrs: { scheme: schemeOf(index), multiplier, shift: badShift, zero_point: zeroPoint, output_min: outputMin, output_max: outputMax },
    inputs: { acc: wireInt('int32', [count], acc) },
  };
};

/**
 * TOSA convs: quint8 or qint8 activations (the backend shifts quint8 by 128 around TOSA's int8 conv), int8
 * weights with one zero point (TOSA's weight_zp), per-tensor or per-channel scales, int32 bias, dense, grouped
 * and depthwise geometries with padding, stride and dilation, fused ReLU.
 */
export const tosaConvCase: CaseFactory = (r, index) => {
  const g = drawGeometry(r);
  const dtype = r.bool(0.5) ? 'quint8' : 'qint8';
  const weightQuantization: WeightQuantization = r.bool(0.5) ? 'per_channel' : 'per_tensor';
  const rules = { xRange: dtype === 'quint8' ? ([0, 255] as const) : ([-128, 127] as const), weightZeroPoints: 'uniform' as const, perChannel: weightQuantization === 'per_channel' };
  const v = drawConvValues(r, g, rules, drawStress(r));
  return convRequest(g, v, { scheme: schemeOf(index), accumulator: 'int32_wrap', dtype, biasDtype: 'int32', weightQuantization });
};

export const TOSA_CATALOG: ReadonlyArray<{ op: 'requantize@1' | 'quantized_conv2d@1'; count: number; factory: CaseFactory }> = [
  { op: 'requantize@1', count: 300, factory: tosaRequantizeCase },
  { op: 'quantized_conv2d@1', count: 400, factory: tosaConvCase },
];
