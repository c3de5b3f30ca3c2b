/**
 * The contract check of quantized_conv2d@1, called once by reference/ and impl/ before any arithmetic.
 * It returns the geometry both sides iterate over. Order: scheme and accumulator, tensors and their
 * dtypes, quantization parameters, geometry (torch's conv checks), the rules the torch engines check before they size
 * the output (RULES_BEFORE_SIZE), the output size, then the scheme's other rules and the accumulator model's
 * (contract/conv_accumulators.ts), the size limits, and last the geometry torch 2.6's onednn dies on
 * (contract/onednn37_padding_columns.ts).
 */
import { ACCUMULATORS, type Conv2dArgs, REQUANT_SCHEMES, type RequantScheme, WEIGHT_QUANTIZATIONS } from './conv.js';
import { accumulatorRefusal } from './conv_accumulators.js';
import { ACCUMULATOR_ACTIVATIONS, SCHEME_RULES, computesEmptyBatch, schemeConvOutputSize } from './conv_schemes.js';
import { type QuantDtype, DTYPE_RANGE } from './dtypes.js';
import { QconformError } from './errors.js';
import { checkQnnpackMultipliers } from './qnnpack_multiplier.js';
import { MAX_CONV_MACS, MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import type { IntData } from './tensor.js';
import { validateWeightScale } from './weight_scales.js';
import { assertXnnpackScalesNormal } from './xnnpack_scale.js';
import { ONEDNN37_PADDING_COLUMNS, onednn37PaddingColumnsDie } from './onednn37_padding_columns.js';
import { A_TENSOR, isPresentTensor, validateDtypeZeroPoint, validateObject, validateQuantizedValues, validateScale, validateShape } from './validate.js';

export interface ConvGeometry {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly oc: number;
  readonly kh: number;
  readonly kw: number;
  readonly oh: number;
  readonly ow: number;
  readonly groups: number;
  /** input channels per group (= weight.shape[1]) */
  readonly icg: number;
  /** output channels per group */
  readonly ocg: number;
  readonly perChannel: boolean;
  /** activation and output dtype */
  readonly dtype: QuantDtype;
  /** output clamp: the dtype range, raised to the zero point with relu */
  readonly outMin: number;
  readonly outMax: number;
}

/**
 * The op a conv's refusals name (a static linear checked as its 1x1 conv renames them quantized_linear:
 * contract/linear_checks.ts asLinearRun).
 */
const WHAT = 'quantized_conv2d';

function fail(code: 'invalid_geometry' | 'shape_mismatch' | 'unsupported_by_scheme' | 'empty_output', field: string, value: unknown, detail: string): never {
  throw new QconformError(code, `${WHAT}: ${field}`, value, detail);
}

function checkPair(name: string, p: readonly number[], min: number): void {
  if (!Array.isArray(p) || p.length !== 2 || !p.every((v) => Number.isSafeInteger(v) && v >= min)) {
    fail('invalid_geometry', name, p, `two integers >= ${min}`);
  }
}

/** A requantization scheme named in contract/conv.ts, else unknown_scheme (conv2d and requantize@1 alike). */
export function assertRequantScheme(what: string, scheme: string): RequantScheme {
  if (!(REQUANT_SCHEMES as readonly string[]).includes(scheme)) throw new QconformError('unknown_scheme', `${what}: scheme`, scheme, `one of ${REQUANT_SCHEMES.join(', ')}`);
  return scheme as RequantScheme;
}

function checkSchemeAndAccumulator(a: Conv2dArgs): void {
  assertRequantScheme(WHAT, a.scheme);
  if (!(ACCUMULATORS as readonly string[]).includes(a.accumulator)) throw new QconformError('unknown_scheme', `${WHAT}: accumulator`, a.accumulator, `one of ${ACCUMULATORS.join(', ')}`);
}

/** x's and the weight's dtypes (also the static torch linear's first rule, renamed by asLinearRun: contract/linear_checks.ts qnnpackStaticOrder). */
export function checkActivationDtype(a: Pick<Conv2dArgs, 'x' | 'weight'>): QuantDtype {
  validateObject(`${WHAT}: x`, a.x, A_TENSOR);
  validateObject(`${WHAT}: weight`, a.weight, A_TENSOR);
  const dtype = a.x.dtype;
  if (dtype !== 'quint8' && dtype !== 'qint8') throw new QconformError('invalid_dtype', `${WHAT}: x.dtype`, dtype, 'activations are quint8 or qint8');
  if (a.weight.dtype !== 'qint8') throw new QconformError('invalid_dtype', `${WHAT}: weight.dtype`, a.weight.dtype, 'weights are qint8');
  return dtype;
}

function checkTensors(a: Conv2dArgs, dtype: QuantDtype, values: boolean): void {
  validateShape(`${WHAT}: x`, a.x);
  validateShape(`${WHAT}: weight`, a.weight);
  if (a.x.shape.length !== 4) fail('shape_mismatch', 'x', a.x.shape, 'x is [N, C, H, W]');
  if (a.weight.shape.length !== 4) fail('shape_mismatch', 'weight', a.weight.shape, 'weight is [OC, C / groups, KH, KW]');
  if (!values) return;
  validateQuantizedValues(`${WHAT}: x`, a.x.data, dtype);
  validateQuantizedValues(`${WHAT}: weight`, a.weight.data, 'qint8');
}

/** The quantization parameters. */
function checkQparams(a: Conv2dArgs, dtype: QuantDtype, oc: number): boolean {
  validateScale(`${WHAT}: x_scale`, a.xScale);
  validateDtypeZeroPoint(`${WHAT}: x_zero_point`, a.xZeroPoint, dtype);
  validateScale(`${WHAT}: y_scale`, a.yScale);
  validateDtypeZeroPoint(`${WHAT}: y_zero_point`, a.yZeroPoint, dtype);
  if (!(WEIGHT_QUANTIZATIONS as readonly string[]).includes(a.weightQuantization)) {
    throw new QconformError('invalid_qscheme', `${WHAT}: weight_quantization`, a.weightQuantization, 'per_tensor or per_channel');
  }
  const perChannel = a.weightQuantization === 'per_channel';
  const k = perChannel ? oc : 1;
  for (const [name, t] of [['weight_scales', a.weightScales], ['weight_zero_points', a.weightZeroPoints]] as const) {
    validateShape(`${WHAT}: ${name}`, t);
    if (t.shape.length !== 1 || t.data.length !== k) throw new QconformError('shape_mismatch', `${WHAT}: ${name}`, t.shape, `${a.weightQuantization} weights take [${k}]`);
  }
  // one pass without messages; the failing entry's message is built only when one fails (the same typed error).
  // Zero and negative weight scales: torch's onednn engine computes with them (contract/weight_scales.ts)
  const scales = a.weightScales.data;
  for (let i = 0; i < scales.length; i++) {
    const s = scales[i] as number;
    if (!(Number.isFinite(s) && s > 0)) validateWeightScale(`${WHAT}: weight_scales[${i}]`, a.scheme, s);
  }
  const zps = a.weightZeroPoints.data;
  const { min, max } = DTYPE_RANGE.qint8;
  for (let i = 0; i < zps.length; i++) {
    const z = zps[i] as number;
    if (!(Number.isSafeInteger(z) && z >= min && z <= max)) validateDtypeZeroPoint(`${WHAT}: weight_zero_points[${i}]`, z, 'qint8');
  }
  return perChannel;
}

function checkBias(a: Conv2dArgs, oc: number): void {
  const b = a.bias;
  if (!isPresentTensor(`${WHAT}: bias`, b)) return;
  if (b.dtype !== 'float32' && b.dtype !== 'int32') throw new QconformError('invalid_dtype', `${WHAT}: bias.dtype`, b.dtype, 'bias is float32 or int32');
  validateShape(`${WHAT}: bias`, b);
  if (b.shape.length !== 1 || b.data.length !== oc) fail('shape_mismatch', 'bias', b.shape, `bias is [${oc}]`);
  if (b.dtype !== 'float32') return;
  for (let i = 0; i < b.data.length; i++) {
    const v = b.data[i] as number;
    if (!Number.isFinite(v)) throw new QconformError('bias_not_finite', `${WHAT}: bias[${i}]`, v);
  }
}

/** Whether every value of `xs` is `v` (a loop: Array.prototype.some with a closure costs ~1 us per 256 values). */
function allEqual(xs: IntData, v: number): boolean {
  for (let i = 0; i < xs.length; i++) if (xs[i] !== v) return false;
  return true;
}

/**
 * The refusal of a bias whose dtype `scheme` does not take (SCHEME_RULES bias); the onnxruntime backend's QLinearConv
 * model refuses a bias with it too (conformance/backends/onnxruntime/qlinear_conv_model.ts: QLinearConv's B is int32 only).
 */
export function schemeBiasDtypeRefusal(scheme: RequantScheme, dtype: string): QconformError {
  return new QconformError('unsupported_by_scheme', `${WHAT}: bias.dtype`, dtype, `${scheme} takes a ${SCHEME_RULES[scheme].bias.join(' or ')} bias`);
}

/**
 * The refusal of activations of a dtype `scheme` does not take (SCHEME_RULES activations), or null; the static torch
 * linear on onednn checks it too (contract/linear_checks.ts onednnStaticOrder: qlinear.cpp "data type of input should be QUint8").
 */
export function schemeActivationRefusal(scheme: RequantScheme, dtype: QuantDtype): QconformError | null {
  const activations = SCHEME_RULES[scheme].activations;
  return activations.includes(dtype) ? null : new QconformError('unsupported_by_scheme', `${WHAT}: x.dtype`, dtype, `${scheme} takes ${activations.join(' or ')} activations`);
}

type SchemeRule = 'activations' | 'bias' | 'weightZeroPoints' | 'qnnpackMultiplier' | 'accumulatorActivations' | 'scales' | 'outputRange';

/** The output clamp (ConvGeometry outMin, outMax): the dtype's range, its minimum raised to the zero point with relu. */
function outputClamp(dtype: QuantDtype, relu: boolean, yZeroPoint: number): { outMin: number; outMax: number } {
  const range = DTYPE_RANGE[dtype];
  return { outMin: relu ? Math.max(range.min, yZeroPoint) : range.min, outMax: range.max };
}

/** One input rule of the scheme (SCHEME_RULES, ACCUMULATOR_ACTIVATIONS; qnnpack's multiplier for torch-qnnpack@1; XNNPACK's float32 scales). */
function checkSchemeRule(a: Conv2dArgs, dtype: QuantDtype, rule: SchemeRule): void {
  const rules = SCHEME_RULES[a.scheme];
  const zps = a.weightZeroPoints.data;
  switch (rule) {
    case 'activations': {
      const refusal = schemeActivationRefusal(a.scheme, dtype);
      if (refusal) throw refusal;
      return;
    }
    case 'bias':
      if (a.bias && !rules.bias.includes(a.bias.dtype as 'float32' | 'int32')) throw schemeBiasDtypeRefusal(a.scheme, a.bias.dtype);
      return;
    case 'weightZeroPoints':
      if (rules.weightZeroPoints === 'zero' && !allEqual(zps, 0)) fail('unsupported_by_scheme', 'weight_zero_points', Array.from(zps), `${a.scheme} takes symmetric weights (zero points 0)`);
      if (rules.weightZeroPoints === 'uniform' && !allEqual(zps, zps[0] as number)) fail('unsupported_by_scheme', 'weight_zero_points', Array.from(zps), `${a.scheme} takes one weight zero point for all channels`);
      return;
    case 'qnnpackMultiplier':
      checkQnnpackMultipliers(a.weightScales.data, a.xScale, a.yScale);
      return;
    case 'accumulatorActivations': {
      const accumulatorActivations = ACCUMULATOR_ACTIVATIONS[a.accumulator];
      if (!accumulatorActivations.includes(dtype)) fail('unsupported_by_scheme', 'x.dtype', dtype, `accumulator ${a.accumulator} takes ${accumulatorActivations.join(' or ')} activations`);
      return;
    }
    case 'scales':
      // XNNPACK checks each scale's float32 before the output range (convolution-nhwc.c)
      if (rules.scales === 'normal_f32') assertXnnpackScalesNormal(a.xScale, a.weightScales.data, a.yScale);
      return;
    case 'outputRange': {
      const refusal = outputRangeRefusal(a, dtype);
      if (refusal) throw refusal;
    }
  }
}

/**
 * The refusal of an output clamp of one value (relu with y_zero_point at `dtype`'s maximum) by a scheme that refuses one
 * (SCHEME_RULES outputRange 'min_below_max': the xnnpack schemes), or null. A backend whose library computes such a clamp
 * tells this refusal apart with it (conformance/backends/litert/litert_conv.ts).
 */
export function outputRangeRefusal(a: Pick<Conv2dArgs, 'scheme' | 'relu' | 'yZeroPoint'>, dtype: QuantDtype): QconformError | null {
  const { outMin, outMax } = outputClamp(dtype, a.relu, a.yZeroPoint);
  if (SCHEME_RULES[a.scheme].outputRange !== 'min_below_max' || outMin < outMax) return null;
  return new QconformError('unsupported_by_scheme', `${WHAT}: y_zero_point`, a.yZeroPoint, `${a.scheme}: relu with y_zero_point at the ${dtype} maximum leaves the output one value, which XNNPACK refuses (convolution-nhwc.c: output_min >= output_max is xnn_status_invalid_parameter)`);
}

/**
 * The rules each torch engine checks before it sizes the output (so before "each dimension of output tensor should be
 * greater than 0" and before allocating a negative-size output, on an empty batch too), in torch's order; torch
 * 1.13.0 and 2.6 measured on N = 0 and N = 1 (tests/backends/torch_empty_batches.test.ts). The adapter refuses an
 * int32 bias before it calls torch (quantized::conv2d takes a float bias). qnnpack (qconv.cpp
 * PackedConvWeightsQnnp::apply_impl) generates its requantization scales first; its qint8 activations go to
 * XNNPACK, which checks the output size first (so that rule stays after). onednn refuses an asymmetric weight in
 * qconv_prepack.cpp and a qint8 input ("data type of input should be QUint8") in apply_impl before the output.
 */
const RULES_BEFORE_SIZE: Partial<Record<RequantScheme, readonly SchemeRule[]>> = {
  'torch-qnnpack@1': ['bias', 'qnnpackMultiplier'],
  'torch-onednn@1': ['bias', 'weightZeroPoints', 'activations'],
  'torch-onednn@2': ['bias', 'weightZeroPoints', 'activations'],
};

const ALL_RULES: readonly SchemeRule[] = ['activations', 'bias', 'weightZeroPoints', 'accumulatorActivations', 'scales', 'outputRange'];

/** The scheme's rules checked before the output size (RULES_BEFORE_SIZE), or the others, after it. */
function checkSchemeRules(a: Conv2dArgs, dtype: QuantDtype, when: 'beforeSize' | 'afterSize'): void {
  const before = RULES_BEFORE_SIZE[a.scheme] ?? [];
  const rules = when === 'beforeSize' ? before : ALL_RULES.filter((r) => !before.includes(r));
  for (const rule of rules) checkSchemeRule(a, dtype, rule);
}

/**
 * An empty batch (N = 0; a linear's M = 0 rows) is computed, as an empty output after every other check, on the
 * schemes that model one (SCHEME_RULES emptyBatch), and refused with empty_output elsewhere. `what` names the input.
 */
export function assertEmptyBatchModelled(what: string, scheme: RequantScheme, value: unknown, op: 'conv' | 'linear'): void {
  if (!computesEmptyBatch(scheme, op)) {
    const modelled = REQUANT_SCHEMES.filter((s) => computesEmptyBatch(s, op)).join(', ');
    throw new QconformError('empty_output', what, value, `an empty batch is computed (an empty output) on ${modelled}; what ${scheme}'s backend does with one is not checked`);
  }
}

/**
 * An empty batch's output [0, OC, OH, OW]. torch (aten/src/ATen/native/quantized/cpu/qconv.cpp apply_impl) checks
 * "each dimension of output tensor should be greater than 0" only when N > 0, then allocates the output
 * (at::_empty_affine_quantized), which raises "Trying to create tensor with negative dimension" for a negative one:
 * torch 1.13.0 and 2.6 on qnnpack and onednn return [0, OC, OH, OW] for any OH, OW >= 0, 0 included, and raise for a
 * negative OH or OW (tests/backends/torch_empty_batches.test.ts).
 */
function checkEmptyBatchGeometry(a: Conv2dArgs, shape: readonly [number, number, number, number]): void {
  const [, , oh, ow] = shape;
  if (oh < 0 || ow < 0) fail('empty_output', 'output shape', shape, 'a negative output size (torch raises "Trying to create tensor with negative dimension", on an empty batch too)');
  assertEmptyBatchModelled(`${WHAT}: x`, a.scheme, a.x.shape, 'conv');
}

/**
 * torch-qnnpack@1 on N >= 1: torch sizes the output with C division (contract/conv.ts torchConvOutputSize), so a padded
 * extent shorter than the dilated kernel by less than the stride gives an output size of 1; qnnpack then sizes it again in
 * size_t (aten/src/ATen/native/quantized/cpu/qnnpack/include/conv_utils.h compute_output_dimension), where the negative
 * numerator wraps: torch raises an INTERNAL ASSERT ("failed to run quantized::conv2d (qnnpack) operator", qconv.cpp:
 * the indirection buffer cannot be allocated) or dies (SIGSEGV, SIGFPE), depending on the geometry; the torch adapter
 * maps each of these to empty_output (conv_ops.py _qnnpack_window_assert). torch 1.13.0 and 2.6 measured (tests/backends/torch_conv_output_size.test.ts). onednn computes these convs (taps past the
 * padding count as padding), and an empty batch returns before qnnpack runs.
 */
function checkQnnpackWindow(a: Conv2dArgs, input: readonly [number, number], kernel: readonly [number, number]): void {
  for (const axis of [0, 1] as const) {
    const extent = input[axis] + 2 * a.padding[axis];
    const dilatedKernel = a.dilation[axis] * (kernel[axis] - 1) + 1;
    if (extent < dilatedKernel) {
      fail('empty_output', axis === 0 ? 'kernel height' : 'kernel width', { paddedInput: extent, dilatedKernel }, `torch-qnnpack@1 cannot run a kernel longer than the padded input (qnnpack's size_t output size wraps; torch raises an INTERNAL ASSERT in qconv.cpp or dies of SIGSEGV / SIGFPE)`);
    }
  }
}

/**
 * contract/limits.ts for a conv whose geometry is valid: the padded input, the output and the work, each
 * computed from the shapes and attributes before anything of that size is allocated.
 */
function checkConvSize(g: Pick<ConvGeometry, 'n' | 'c' | 'h' | 'w' | 'oc' | 'icg' | 'kh' | 'kw' | 'oh' | 'ow'>, padding: readonly number[]): void {
  const [ph, pw] = padding as [number, number];
  checkLimit(`${WHAT}: padded input elements (N * C * (H + 2 padding) * (W + 2 padding))`, g.n * g.c * (g.h + 2 * ph) * (g.w + 2 * pw), MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  const outputs = g.n * g.oc * g.oh * g.ow;
  // the shape is formatted into the message only when the limit is exceeded (checkLimit throws exactly then)
  if (!(outputs <= MAX_TENSOR_ELEMENTS)) checkLimit(`${WHAT}: output elements [${g.n}, ${g.oc}, ${g.oh}, ${g.ow}]`, outputs, MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  checkLimit(`${WHAT}: multiply-accumulates (output elements * C / groups * KH * KW)`, outputs * g.icg * g.kh * g.kw, MAX_CONV_MACS, 'MAX_CONV_MACS');
}

/**
 * Validates a conv2d call and returns its geometry; throws the QconformError of the first broken rule.
 * `deferValues`: every rule but the dtype ranges of x's and the weight's values, for a caller that scans them
 * itself (impl's WebAssembly path, while packing) and, on any failure of its own, calls checkConv2d(a) so that
 * the error is the canonical first one. `emptyWeight`: OC = 0 is taken, for a linear's N = 0 on an empty batch
 * (contract/linear_checks.ts; a conv's OC must be >= 1).
 */
export function checkConv2d(a: Conv2dArgs, o: { deferValues?: boolean; emptyWeight?: boolean } = {}): ConvGeometry {
  checkSchemeAndAccumulator(a);
  const dtype = checkActivationDtype(a);
  checkTensors(a, dtype, o.deferValues !== true);
  const [n, c, h, w] = a.x.shape as [number, number, number, number];
  const [oc, icg, kh, kw] = a.weight.shape as [number, number, number, number];
  const perChannel = checkQparams(a, dtype, oc);
  checkBias(a, oc);
  const groups = a.groups;
  if (!Number.isSafeInteger(groups) || groups < 1) fail('invalid_geometry', 'groups', groups, 'groups >= 1');
  if (c % groups !== 0 || oc % groups !== 0) fail('invalid_geometry', 'groups', { groups, inChannels: c, outChannels: oc }, 'groups must divide the input and output channel counts');
  if (icg !== c / groups || kh < 1 || kw < 1 || (oc < 1 && o.emptyWeight !== true)) fail('shape_mismatch', 'weight', a.weight.shape, `weight is [OC >= 1, ${c / groups}, KH >= 1, KW >= 1] for ${c} input channels in ${groups} group(s)`);
  checkPair('stride', a.stride, 1);
  checkPair('padding', a.padding, 0);
  checkPair('dilation', a.dilation, 1);
  const oh = schemeConvOutputSize(a.scheme, h, kh, a.stride[0], a.padding[0], a.dilation[0]);
  const ow = schemeConvOutputSize(a.scheme, w, kw, a.stride[1], a.padding[1], a.dilation[1]);
  checkSchemeRules(a, dtype, 'beforeSize');
  // ORT sizes the output, refusing a size <= 0 ("Invalid input shape"), before it looks at the batch (onnxConvOutputSize);
  // its empty batch is then computed (SCHEME_RULES emptyBatch 'conv'; a linear of M = 0 is refused before, shapeOf)
  const ort = a.scheme === 'onnxruntime@1';
  if (n === 0 && !ort) checkEmptyBatchGeometry(a, [n, oc, oh, ow]);
  else if (oh < 1 || ow < 1) fail('empty_output', 'output shape', [n, oc, oh, ow], ort ? 'every output dimension must be >= 1 (ORT: "Invalid input shape", on an empty batch too)' : 'every output dimension must be >= 1');
  else if (a.scheme === 'torch-qnnpack@1') checkQnnpackWindow(a, [h, w], [kh, kw]);
  checkSchemeRules(a, dtype, 'afterSize');
  const refusal = accumulatorRefusal(a.accumulator, a.scheme, { groups, icg, ocg: oc / groups, kh, kw, h, w, oh, ow, stride: a.stride, padding: a.padding });
  if (refusal) fail('unsupported_by_scheme', 'accumulator', a.accumulator, refusal);
  checkConvSize({ n, c, h, w, oc, icg, kh, kw, oh, ow }, a.padding);
  // torch 2.6's onednn dies running it, after every check of its own (contract/onednn37_padding_columns.ts)
  if (a.scheme === 'torch-onednn@2' && n > 0 && onednn37PaddingColumnsDie(w, kw, a.stride[1], a.padding[1], a.dilation[1])) {
    fail('unsupported_by_scheme', 'padding', { w, kernelWidth: kw, stride: a.stride, padding: a.padding, dilation: a.dilation, outputWidth: ow }, ONEDNN37_PADDING_COLUMNS);
  }
  return { n, c, h, w, oc, kh, kw, oh, ow, groups, icg, ocg: oc / groups, perChannel, dtype, ...outputClamp(dtype, a.relu, a.yZeroPoint) };
}
