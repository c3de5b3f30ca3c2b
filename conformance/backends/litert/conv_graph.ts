/**
 * quantized_conv2d@1 as a TFLite graph for LiteRT.js, and the layout conversions around it.
 *
 * LiteRT.js takes and returns float32, int32 and uint8 tensors only, so every conv is wrapped exactly:
 *   x (uint8, zp_u) -> QUANTIZE -> int8 (zp_s) [-> PAD] -> CONV_2D | DEPTHWISE_CONV_2D (int8) -> QUANTIZE -> y (uint8)
 * The QUANTIZEs keep the scale and move the zero point by 128, an exact shift (uint8 q = int8 q + 128). A
 * quint8 conv thus runs as TFLite's int8 kernel with both zero points lowered by 128: x - zp and the output
 * clamp are unchanged, so the arithmetic is the same one.
 *
 * Two kernel paths, chosen by the request's scheme (KERNEL_PATHS):
 *   - `xnnpack`: weights and bias are constants, so the XNNPACK delegate (on by default in LiteRT.js's CPU
 *     accelerator) takes the conv: fp32 requantization (xnnpack-fp32@1), CONV_2D and DEPTHWISE_CONV_2D;
 *   - `builtin`: the bias is a graph input (zeros when the call has none), which XNNPACK refuses for a conv
 *     (tensorflow/lite/delegates/xnnpack/xnnpack_delegate.cc: the bias must be static), so TFLite's own int8
 *     kernels run. They do not round alike (measured on LiteRT.js 2.5.3): CONV_2D goes through ruy, single
 *     rounding (tflite-single-rounding@1; tensorflow/lite/kernels/cpu_backend_gemm_x86.h, ruy/apply_multiplier.cc);
 *     DEPTHWISE_CONV_2D's optimized per-channel kernel calls MultiplyByQuantizedMultiplier built without
 *     TFLITE_SINGLE_ROUNDING, double rounding (tflite-double-rounding@1; kernels/internal/optimized/integer_ops/
 *     depthwise_conv.h, kernels/internal/common.h). So the builtin path answers tflite-single-rounding@1 with
 *     CONV_2D only and tflite-double-rounding@1 with DEPTHWISE_CONV_2D only (a conv with one input channel
 *     and groups = 1 is a depthwise conv with multiplier OC).
 *
 * Layout: NCHW activations become NHWC; OIHW conv weights become OHWI ([OC, KH, KW, IC], per-channel on
 * dimension 0); depthwise weights [OC, 1, KH, KW] become [1, KH, KW, OC] (per-channel on dimension 3; output
 * channel ic * multiplier + m, the contract's order). Padding: VALID when it is 0, SAME when the explicit
 * symmetric padding is what SAME computes, else an explicit PAD (with the input zero point, TFLite's pad value
 * for quantized tensors) followed by a VALID conv.
 */
import type { Conv2dArgs } from '../../../contract/conv.js';
import type { ConvGeometry } from '../../../contract/conv_checks.js';
import { QconformError } from '../../../contract/errors.js';
import { Activation, BuiltinOperator, Padding, type TfliteGraph, type TfliteOperator, type TfliteTensor, TensorType, tfliteModelBytes } from './tflite_flatbuffer.js';

export const KERNEL_PATHS = { 'tflite-single-rounding@1': 'builtin', 'tflite-double-rounding@1': 'builtin', 'xnnpack-fp32@1': 'xnnpack' } as const;
export type LitertScheme = keyof typeof KERNEL_PATHS;
export type KernelPath = (typeof KERNEL_PATHS)[LitertScheme];
export const LITERT_SCHEMES = Object.keys(KERNEL_PATHS) as LitertScheme[];

export function litertScheme(scheme: string): LitertScheme {
  if (!(scheme in KERNEL_PATHS)) throw new QconformError('unknown_scheme', 'quantized_conv2d: scheme', scheme, `LiteRT computes ${LITERT_SCHEMES.join(', ')}`);
  return scheme as LitertScheme;
}

function refuse(field: string, value: unknown, detail: string): never {
  throw new QconformError('unsupported_by_scheme', `quantized_conv2d: ${field}`, value, `LiteRT: ${detail}`);
}

/** TFLite's SAME padding along one axis: (output size, padding before) (tensorflow/lite/kernels/padding.h ComputePaddingHeightWidth). */
function samePadding(input: number, kernel: number, stride: number, dilation: number): { out: number; before: number; total: number } {
  const out = Math.ceil(input / stride);
  const total = Math.max(0, (out - 1) * stride + dilation * (kernel - 1) + 1 - input);
  return { out, before: Math.floor(total / 2), total };
}

/** Whether the explicit padding `p` gives what TFLite's SAME gives on this axis. */
function isSame(input: number, kernel: number, stride: number, dilation: number, p: number, out: number): boolean {
  const s = samePadding(input, kernel, stride, dilation);
  return s.out === out && s.total === 2 * p;
}

export type ConvKind = 'conv2d' | 'depthwise';

/** Whether the conv is TFLite's DEPTHWISE_CONV_2D shape: one input channel per group, groups = C. */
export function isDepthwiseShape(g: ConvGeometry): boolean {
  return g.icg === 1 && g.groups === g.c;
}

/**
 * Which TFLite op computes this call under this scheme: CONV_2D for groups = 1, DEPTHWISE_CONV_2D for
 * groups = C (and for a one-input-channel conv under tflite-double-rounding@1); grouped convs
 * (1 < groups < C) are not mapped. On the builtin path the op decides the rounding (see the file comment).
 */
export function convKind(g: ConvGeometry, scheme: LitertScheme): ConvKind {
  const depthwiseShape = isDepthwiseShape(g);
  if (scheme === 'tflite-double-rounding@1') {
    if (depthwiseShape) return 'depthwise';
    return refuse('groups', g.groups, "tflite-double-rounding@1 is TFLite's builtin DEPTHWISE_CONV_2D (groups = C); its builtin CONV_2D rounds once (tflite-single-rounding@1)");
  }
  if (g.groups === 1) return 'conv2d';
  if (scheme === 'tflite-single-rounding@1') return refuse('groups', g.groups, "tflite-single-rounding@1 is TFLite's builtin CONV_2D (groups = 1); its builtin DEPTHWISE_CONV_2D rounds twice (tflite-double-rounding@1)");
  if (depthwiseShape) return 'depthwise';
  return refuse('groups', g.groups, 'only groups = 1 (CONV_2D) and groups = C (DEPTHWISE_CONV_2D) are mapped');
}

/**
 * The rules of TFLite's int8 conv kernels beyond the contract's (conv.cc / depthwise_conv.cc Prepare), and
 * TFLite's int8 quantization spec (weights symmetric in [-127, 127]) where a kernel path relies on it: the
 * XNNPACK delegate's wasm depthwise kernels give wrong outputs for a -128 weight (measured; the minimal case
 * is in tests/backends/litert.test.ts), so that path refuses them.
 */
export function checkLitertRules(a: Conv2dArgs, scheme: LitertScheme): void {
  if (a.weightZeroPoints.data.some((z) => z !== 0)) refuse('weight_zero_points', Array.from(a.weightZeroPoints.data), 'int8 conv weights are symmetric (zero point 0)');
  if (KERNEL_PATHS[scheme] === 'xnnpack' && a.weight.data.some((w) => w === -128)) refuse('weight', -128, "TFLite's int8 spec keeps weights in [-127, 127] and the XNNPACK delegate relies on it");
  if (a.bias && a.bias.dtype !== 'int32') refuse('bias', a.bias.dtype, 'int8 conv takes an int32 bias');
  // (the exponents the builtin kernels shift by in undefined C++ are not given to LiteRT: litert_not_given.ts)
}

const f32 = (v: number) => Math.fround(v);
const bytesOf = (a: Int8Array | Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export interface LitertConvModel {
  readonly model: Uint8Array;
  /** graph inputs in order: x (uint8 NHWC), then the bias (int32) on the builtin path */
  readonly inputs: Array<{ data: Uint8Array | Int32Array; shape: number[] }>;
  /** uint8 NHWC output -> the contract's NCHW output values */
  readonly decode: (y: ArrayLike<number>) => number[];
}

/** NCHW -> NHWC for activations (values moved by `shift`). */
function toNhwc(a: Conv2dArgs, g: ConvGeometry, shift: number): Uint8Array {
  const out = new Uint8Array(g.n * g.h * g.w * g.c);
  for (let n = 0; n < g.n; n++)
    for (let c = 0; c < g.c; c++)
      for (let h = 0; h < g.h; h++)
        for (let w = 0; w < g.w; w++) out[((n * g.h + h) * g.w + w) * g.c + c] = (a.x.data[((n * g.c + c) * g.h + h) * g.w + w] as number) + shift;
  return out;
}

/** OIHW -> OHWI (conv) or [OC, 1, KH, KW] -> [1, KH, KW, OC] (depthwise). */
function tfliteWeights(a: Conv2dArgs, g: ConvGeometry, kind: ConvKind): { data: Int8Array; shape: number[] } {
  const data = new Int8Array(g.oc * g.icg * g.kh * g.kw);
  for (let o = 0; o < g.oc; o++)
    for (let i = 0; i < g.icg; i++)
      for (let y = 0; y < g.kh; y++)
        for (let x = 0; x < g.kw; x++) {
          const v = a.weight.data[((o * g.icg + i) * g.kh + y) * g.kw + x] as number;
          data[kind === 'conv2d' ? ((o * g.kh + y) * g.kw + x) * g.icg + i : (y * g.kw + x) * g.oc + o] = v;
        }
  return { data, shape: kind === 'conv2d' ? [g.oc, g.kh, g.kw, g.icg] : [1, g.kh, g.kw, g.oc] };
}

/** Builds the model and its inputs for one call (already checked by checkConv2d and checkLitertRules). */
export function litertConvModel(a: Conv2dArgs, g: ConvGeometry, scheme: LitertScheme): LitertConvModel {
  const path = KERNEL_PATHS[scheme];
  const kind = convKind(g, scheme);
  const signed = g.dtype === 'qint8';
  // zero points of the uint8 graph boundary and of the int8 conv
  const xZpU = a.xZeroPoint + (signed ? 128 : 0);
  const xZpS = a.xZeroPoint - (signed ? 0 : 128);
  const yZpU = a.yZeroPoint + (signed ? 128 : 0);
  const yZpS = a.yZeroPoint - (signed ? 0 : 128);
  const xScale = f32(a.xScale);
  const yScale = f32(a.yScale);
  const wScales = Array.from(a.weightScales.data, f32);
  const perTensor = (scale: number, zp: number) => ({ scale: [scale], zeroPoint: [zp], quantizedDimension: 0 });

  const samePads = [0, 1].every((ax) => isSame(ax ? g.w : g.h, ax ? g.kw : g.kh, a.stride[ax]!, a.dilation[ax]!, a.padding[ax]!, ax ? g.ow : g.oh));
  const padding = a.padding[0] === 0 && a.padding[1] === 0 ? 'valid' : samePads ? 'same' : 'explicit';
  const [ph, pw] = a.padding;

  const tensors: TfliteTensor[] = [];
  const operators: TfliteOperator[] = [];
  const add = (t: TfliteTensor) => tensors.push(t) - 1;

  const xU = add({ name: 'x', type: TensorType.UINT8, shape: [g.n, g.h, g.w, g.c], quantization: perTensor(xScale, xZpU) });
  let xS = add({ name: 'x_int8', type: TensorType.INT8, shape: [g.n, g.h, g.w, g.c], quantization: perTensor(xScale, xZpS) });
  operators.push({ builtin: BuiltinOperator.QUANTIZE, inputs: [xU], outputs: [xS], options: { kind: 'none' } });
  if (padding === 'explicit') {
    const pads = add({ name: 'paddings', type: TensorType.INT32, shape: [4, 2], data: bytesOf(Int32Array.from([0, 0, ph, ph, pw, pw, 0, 0])) });
    const xP = add({ name: 'x_padded', type: TensorType.INT8, shape: [g.n, g.h + 2 * ph, g.w + 2 * pw, g.c], quantization: perTensor(xScale, xZpS) });
    operators.push({ builtin: BuiltinOperator.PAD, inputs: [xS, pads], outputs: [xP], options: { kind: 'none' } });
    xS = xP;
  }
  const w = tfliteWeights(a, g, kind);
  const wT = add({
    name: 'weight',
    type: TensorType.INT8,
    shape: w.shape,
    data: bytesOf(w.data),
    quantization: { scale: wScales, zeroPoint: wScales.map(() => 0), quantizedDimension: kind === 'conv2d' ? 0 : 3 },
  });
  const biasValues = a.bias ? Int32Array.from(a.bias.data) : new Int32Array(g.oc);
  const biasScales = Array.from({ length: g.oc }, (_, oc) => f32(xScale * (wScales[g.perChannel ? oc : 0] as number)));
  const biasQuant = { scale: g.perChannel ? biasScales : [biasScales[0]!], zeroPoint: g.perChannel ? biasScales.map(() => 0) : [0], quantizedDimension: 0 };
  const biasInput = path === 'builtin';
  // TFLite's CONV_2D requires the bias tensor ("Tensor at index 2 was optional but was expected"): no bias is a zero bias
  const bT = add({ name: 'bias', type: TensorType.INT32, shape: [g.oc], quantization: biasQuant, ...(biasInput ? {} : { data: bytesOf(biasValues) }) });
  const yS = add({ name: 'y_int8', type: TensorType.INT8, shape: [g.n, g.oh, g.ow, g.oc], quantization: perTensor(yScale, yZpS) });
  const yU = add({ name: 'y', type: TensorType.UINT8, shape: [g.n, g.oh, g.ow, g.oc], quantization: perTensor(yScale, yZpU) });
  const conv = { padding: padding === 'same' ? Padding.SAME : Padding.VALID, strideW: a.stride[1], strideH: a.stride[0], dilationW: a.dilation[1], dilationH: a.dilation[0], activation: a.relu ? Activation.RELU : Activation.NONE };
  operators.push(
    kind === 'conv2d'
      ? { builtin: BuiltinOperator.CONV_2D, inputs: [xS, wT, bT], outputs: [yS], options: { kind: 'conv2d', conv } }
      : { builtin: BuiltinOperator.DEPTHWISE_CONV_2D, inputs: [xS, wT, bT], outputs: [yS], options: { kind: 'depthwiseConv2d', conv, depthMultiplier: g.oc / g.c } },
  );
  operators.push({ builtin: BuiltinOperator.QUANTIZE, inputs: [yS], outputs: [yU], options: { kind: 'none' } });

  const graph: TfliteGraph = { tensors, inputs: biasInput ? [xU, bT] : [xU], outputs: [yU], operators };
  const inputs: LitertConvModel['inputs'] = [{ data: toNhwc(a, g, signed ? 128 : 0), shape: [g.n, g.h, g.w, g.c] }];
  if (biasInput) inputs.push({ data: biasValues, shape: [g.oc] });
  const decode = (y: ArrayLike<number>) => {
    const out: number[] = new Array(g.n * g.oc * g.oh * g.ow);
    for (let n = 0; n < g.n; n++)
      for (let oc = 0; oc < g.oc; oc++)
        for (let oh = 0; oh < g.oh; oh++)
          for (let ow = 0; ow < g.ow; ow++) out[((n * g.oc + oc) * g.oh + oh) * g.ow + ow] = (y[((n * g.oh + oh) * g.ow + ow) * g.oc + oc] as number) - (signed ? 128 : 0);
    return out;
  };
  return { model: tfliteModelBytes(graph), inputs, decode };
}
