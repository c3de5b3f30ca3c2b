/**
 * A torch linear's weight qparams as torch takes them, for contract/linear_checks.ts on torch-qnnpack@1, torch-onednn@1
 * and torch-onednn@2 (torch 1.13.0 and 2.6 measured alike: tests/backends/torch_linear_weight_qparams.test.ts):
 * - the weight's construction (the torch adapter's torch._make_per_tensor_quantized_tensor /
 *   _make_per_channel_quantized_tensor, before linear_prepack, so before any other rule of the linear): torch's
 *   per-tensor qparams are scalars (a float scale, an int zero point; Tensor.item(), as at::quantize_per_tensor's tensor form
 *   takes them, raises for two as for none: torch 2.6 "a Tensor with 2 elements cannot be converted to Scalar", 1.13
 *   "only one element tensors can be converted to Python scalars"), so a per_tensor weight takes exactly one
 *   scale and one zero point ([1] on the wire), never element 0 of more; a per_channel one as many scales as zero
 *   points ("number of elements in scales and zero_points must match").
 * - per channel, torch reads scale and zero point i of each output channel i < N and nothing beyond: onednn's prepack
 *   (qlinear_prepack.cpp PackedLinearWeightsOnednn::prepack) and qnnpack's dynamic linear compute with more than N,
 *   ignoring the rest (an extra NaN scale or zero point 300 included); qnnpack's static linear refuses more than N in
 *   quant_utils::QuantizeBias ("length of scales must equal to channel", qlinear.cpp apply_impl). Fewer than N is
 *   refused: onednn raises IndexError ("select(): index i out of range") in its prepack; qnnpack reads past the scales
 *   (a garbage requantization scale it refuses, or SIGSEGV with none), which qconform refuses where that read happens.
 */
import type { RequantScheme, WeightQuantization } from './conv.js';
import { isTorchOnednnScheme } from './conv_schemes.js';
import { QconformError } from './errors.js';
import type { F64Tensor, IntTensor } from './tensor.js';
import { validateShape } from './validate.js';

export interface WeightQParams {
  readonly weightQuantization: WeightQuantization;
  readonly weightScales: F64Tensor;
  readonly weightZeroPoints: IntTensor;
}

/** Why a per_tensor weight takes exactly one scale and one zero point. */
const PER_TENSOR_SCALARS = 'per_tensor weights take [1]: torch\'s per-tensor qparams are scalars (Tensor.item() of a scale tensor, as at::quantize_per_tensor\'s tensor form takes it: torch 2.6 "a Tensor with 2 elements cannot be converted to Scalar", 1.13 "only one element tensors can be converted to Python scalars"); qconform never reads element 0 of more';

/** The schemes whose linears torch runs (the torch adapter's engines): their weight qparams follow this file. */
export function isTorchLinearScheme(scheme: RequantScheme): boolean {
  return scheme === 'torch-qnnpack@1' || isTorchOnednnScheme(scheme);
}

/** The weight's construction (above), named by `what` (the op): a weight_quantization, rank-1 qparams, their counts. */
export function checkTorchWeightConstruction(what: string, a: WeightQParams): void {
  if (a.weightQuantization !== 'per_tensor' && a.weightQuantization !== 'per_channel') {
    throw new QconformError('invalid_qscheme', `${what}: weight_quantization`, a.weightQuantization, 'per_tensor or per_channel');
  }
  for (const [name, t] of [['weight_scales', a.weightScales], ['weight_zero_points', a.weightZeroPoints]] as const) {
    validateShape(`${what}: ${name}`, t);
    if (t.shape.length !== 1) throw new QconformError('shape_mismatch', `${what}: ${name}`, t.shape, `${name} is rank 1 ([1] per_tensor, one per output channel per_channel)`);
    if (a.weightQuantization === 'per_tensor' && t.data.length !== 1) {
      throw new QconformError('shape_mismatch', `${what}: ${name}`, t.shape, PER_TENSOR_SCALARS);
    }
  }
  if (a.weightQuantization === 'per_channel' && a.weightScales.data.length !== a.weightZeroPoints.data.length) {
    throw new QconformError('shape_mismatch', `${what}: weight_scales`, { weight_scales: a.weightScales.shape, weight_zero_points: a.weightZeroPoints.shape }, 'a per_channel weight takes as many scales as zero points (torch._make_per_channel_quantized_tensor: "number of elements in scales and zero_points must match")');
  }
}

/** Whether a per_channel weight gives fewer scales than its N output channels (torch reads past them). */
export function channelsShort(a: WeightQParams, n: number): boolean {
  return a.weightQuantization === 'per_channel' && a.weightScales.data.length < n;
}

/** Refuses a per_channel weight of fewer than N scales, saying what `engine` does with it (`torchDoes`). */
export function assertChannelsGiven(what: string, a: WeightQParams, n: number, torchDoes: string): void {
  if (channelsShort(a, n)) throw new QconformError('shape_mismatch', `${what}: weight_scales`, a.weightScales.shape, `per_channel weights take one scale and zero point per output channel, [${n}] (${torchDoes})`);
}

/** What torch's qnnpack does with fewer than N per-channel scales (qconform refuses it where qnnpack reads them). */
export const QNNPACK_READS_PAST_SCALES = 'torch qnnpack reads the requantization scale of each channel i < N past the given ones: a garbage scale it refuses ("failed to create op with requantization scale"), or SIGSEGV with none';

/** The per_channel qparams of the first `n` output channels, the ones torch reads (more than N: the rest ignored). */
export function firstChannels<T extends WeightQParams>(a: T, n: number): T {
  if (a.weightQuantization !== 'per_channel' || a.weightScales.data.length <= n) return a;
  return {
    ...a,
    weightScales: { ...a.weightScales, shape: [n], data: a.weightScales.data.slice(0, n) },
    weightZeroPoints: { ...a.weightZeroPoints, shape: [n], data: a.weightZeroPoints.data.slice(0, n) },
  };
}
