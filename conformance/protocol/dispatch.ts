/**
 * Evaluate one protocol request (docs/protocol.md) on a QuantOps implementation: decode the wire
 * request, call the typed op, encode the outputs. Errors become {code, message} responses, never crashes.
 */
import { type QuantDtype, type QScheme } from '../../contract/dtypes.js';
import { QconformError, formatValue, isQconformError } from '../../contract/errors.js';
import { type HistogramObserverAttrs, type HistogramObserverResult, OP_NAMES, type OpName, type QparamsConfig, type QuantOps, type SumLaneWidth } from '../../contract/ops.js';
import { CONV_OP_NAMES, type ConvOps } from '../../contract/conv.js';
import { evaluateConv, isConvOpName } from './conv_dispatch.js';
import { REQUANTIZE_OP_NAMES, type RequantizeOps } from '../../contract/requantize.js';
import { evaluateRequantize, isRequantizeOpName } from './requantize_dispatch.js';
import { LINEAR_OP_NAMES, type LinearOps } from '../../contract/linear.js';
import { evaluateLinear, hasLinearOps, isLinearOpName } from './linear_dispatch.js';
import { ONNX_QUANT_OP_NAMES, type OnnxQuantOps } from '../../contract/onnx_quant.js';
import { evaluateOnnxQuant, isOnnxQuantOpName } from './onnx_quant_dispatch.js';
import { ONNX_QOP_NAMES, type OnnxQOps } from '../../contract/onnx_qops.js';
import { evaluateOnnxQOp, isOnnxQOpName } from './onnx_qops_dispatch.js';
import type { Tensor } from '../../contract/tensor.js';
import type { QrangeSemantics } from '../../contract/qrange.js';
import type { QuantizedCatAttrs } from '../../contract/quantized_cat.js';
import type { AtenCpuCapability, MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import { Attrs, Inputs, type TypedOutputs, type WireOutputs, type WireResponse } from './messages.js';
import { refuseUnread, requestSection, withUnreadRefused } from './request_fields.js';
import { type WireEncoding, encodeTensor, requestEncoding } from '../../contract/wire.js';

const DEFAULT_EPS = 2 ** -23; // torch.finfo(torch.float32).eps
const DEFAULT_AVERAGING_CONSTANT = 0.01;

/**
 * The observers' constructor defaults (torch/ao/quantization/observer.py, 1.13 and 2.6 alike), for an attribute absent
 * or null ("not given", docs/protocol.md): dtype quint8, qscheme per_tensor_affine (per_channel_affine for the
 * per-channel observers), reduce_range false, no custom range, eps finfo(float32).eps, ch_axis 0; FixedQParamsObserver's
 * quant_min 0 and quant_max 255; PlaceholderObserver's dtype float32.
 */
const DEFAULT_DTYPE: QuantDtype = 'quint8';
const DEFAULT_CH_AXIS = 0;

function qparamsConfig(a: Attrs, semantics: QrangeSemantics = 1, defaultQscheme: QScheme = 'per_tensor_affine'): QparamsConfig {
  return {
    semantics,
    dtype: a.strOr<QuantDtype>('dtype', DEFAULT_DTYPE),
    qscheme: a.strOr<QScheme>('qscheme', defaultQscheme),
    reduceRange: a.bool('reduce_range'),
    quantMin: a.optionalInt('quant_min'),
    quantMax: a.optionalInt('quant_max'),
    eps: a.f64Or('eps', DEFAULT_EPS),
  };
}

function observerOutputs(r: { minVal?: Tensor; maxVal?: Tensor; scale: Tensor; zeroPoint: Tensor }): TypedOutputs {
  const out: TypedOutputs = {};
  if (r.minVal) out.min_val = r.minVal;
  if (r.maxVal) out.max_val = r.maxVal;
  out.scale = r.scale;
  out.zero_point = r.zeroPoint;
  return out;
}

type Handler = (ops: QuantOps, a: Attrs, i: Inputs) => TypedOutputs;

/** The ops whose @2 (torch 2.x) differs from @1 only in the qint32 range check (contract/qrange.ts QrangeSemantics). */
function qrangeHandlers(v: QrangeSemantics) {
  return {
    calculateQminQmax: ((ops, a) => {
      const r = ops.calculateQminQmax({ dtype: a.strOr('dtype', DEFAULT_DTYPE), reduceRange: a.bool('reduce_range'), quantMin: a.optionalInt('quant_min'), quantMax: a.optionalInt('quant_max'), semantics: v });
      return { quant_min: r.quantMin, quant_max: r.quantMax };
    }) satisfies Handler,
    calculateQparams: ((ops, a, i) => observerOutputs(ops.calculateQparams(i.f32('min_val'), i.f32('max_val'), qparamsConfig(a, v)))) satisfies Handler,
    minMax: ((ops, a, i) => observerOutputs(ops.minMaxObserver(i.f32List('batches'), qparamsConfig(a, v)))) satisfies Handler,
    movingAverage: ((ops, a, i) =>
      observerOutputs(ops.movingAverageMinMaxObserver(i.f32List('batches'), { ...qparamsConfig(a, v), averagingConstant: a.f64Or('averaging_constant', DEFAULT_AVERAGING_CONSTANT) }))) satisfies Handler,
    perChannel: ((ops, a, i) =>
      observerOutputs(ops.perChannelMinMaxObserver(i.f32List('batches'), { ...qparamsConfig(a, v, 'per_channel_affine'), chAxis: a.optionalInt('ch_axis') ?? DEFAULT_CH_AXIS }))) satisfies Handler,
    movingAveragePerChannel: ((ops, a, i) =>
      observerOutputs(
        ops.movingAveragePerChannelMinMaxObserver(i.f32List('batches'), {
          ...qparamsConfig(a, v, 'per_channel_affine'),
          chAxis: a.optionalInt('ch_axis') ?? DEFAULT_CH_AXIS,
          averagingConstant: a.f64Or('averaging_constant', DEFAULT_AVERAGING_CONSTANT),
        }),
      )) satisfies Handler,
  };
}
const V1 = qrangeHandlers(1);
const V2 = qrangeHandlers(2);

/** quantized_add@1 (torch 1.13) and @2 (torch 2.6): the same attributes, the version picks the AVX512 loop step. */
function quantizedAddHandler(semantics: 1 | 2): Handler {
  return (ops, a, i) => ({
    y: ops.quantizedAdd(i.int('a'), i.int('b'), { ...binaryQparams(a), ...atenElementwiseAttrs(a), semantics }),
  });
}

/** How an ATen elementwise kernel runs (quantized_hardswish, quantized_hardsigmoid): capability, memory format, threads. */
function atenElementwiseAttrs(a: Attrs) {
  return {
    cpuCapability: a.str<AtenCpuCapability>('cpu_capability'),
    memoryFormat: a.strOr<MemoryFormat>('memory_format', 'contiguous'),
    threads: a.optionalInt('threads') ?? 1,
  };
}

/** quantized_mul@1 (torch 1.13) and @2 (torch 2.6): the version picks the AVX512 loop step. */
function quantizedMulHandler(semantics: 1 | 2): Handler {
  return (ops, a, i) => ({ y: ops.quantizedMul(i.int('a'), i.int('b'), { ...binaryQparams(a), ...atenElementwiseAttrs(a), semantics }) });
}

/** quantized_hardswish@1 / @2: x's qparams, the output's, the elementwise attributes. */
function quantizedHardswishHandler(semantics: 1 | 2): Handler {
  return (ops, a, i) => ({ y: ops.quantizedHardswish(i.int('x'), { xScale: a.f64('x_scale'), xZeroPoint: a.int('x_zero_point'), scale: a.f64('scale'), zeroPoint: a.int('zero_point'), ...atenElementwiseAttrs(a), semantics }) });
}

/** quantized_hardsigmoid@1 / @2: x's qparams and the elementwise attributes (its output qparams are fixed). */
function quantizedHardsigmoidHandler(semantics: 1 | 2): Handler {
  return (ops, a, i) => ({ y: ops.quantizedHardsigmoid(i.int('x'), { xScale: a.f64('x_scale'), xZeroPoint: a.int('x_zero_point'), ...atenElementwiseAttrs(a), semantics }) });
}

/** quantized_mean@1 (torch 1.13) and @2 (torch 2.6): the same attributes, the version picks the AVX512 float sums' width. */
function quantizedMeanHandler(semantics: 1 | 2): Handler {
  return (ops, a, i) => ({
    y: ops.quantizedMean(i.int('x'), {
      xScale: a.f64('x_scale'),
      xZeroPoint: a.int('x_zero_point'),
      dims: a.intList('dim'),
      keepdim: a.bool('keepdim', false),
      memoryFormat: a.strOr<MemoryFormat>('memory_format', 'contiguous'),
      cpuCapability: a.str<AtenCpuCapability>('cpu_capability'),
      threads: a.optionalInt('threads') ?? 1,
      semantics,
    }),
  });
}

/** quantized_cat@1 (torch 1.13) and @2 (torch 2.6): inputs xs, one scale and zero point per input in attrs. */
function quantizedCatHandler(semantics: 1 | 2): Handler {
  return (ops, a, i) => {
    const xs = i.intList('xs');
    const scales = a.f64List('x_scales');
    const zeroPoints = a.intList('x_zero_points');
    if (scales.length !== xs.length || zeroPoints.length !== xs.length) {
      throw new QconformError('malformed_request', `quantized_cat@${semantics}: attrs.x_scales, attrs.x_zero_points`, { xs: xs.length, x_scales: scales.length, x_zero_points: zeroPoints.length }, 'one scale and one zero point per input of inputs.xs');
    }
    const attrs: QuantizedCatAttrs = {
      scale: a.f64('scale'),
      zeroPoint: a.int('zero_point'),
      dim: a.int('dim'),
      relu: a.bool('relu', false),
      cpuCapability: a.str<AtenCpuCapability>('cpu_capability'),
      memoryFormat: a.strOr<MemoryFormat>('memory_format', 'contiguous'),
      semantics,
    };
    return { y: ops.quantizedCat(xs.map((x, k) => ({ x, scale: scales[k]!, zeroPoint: zeroPoints[k]! })), attrs) };
  };
}

/** An add's qparams and ReLU flag (quantized_add, qnnpack_add, xnnpack_add). */
function binaryQparams(a: Attrs) {
  return {
    aScale: a.f64('a_scale'),
    aZeroPoint: a.int('a_zero_point'),
    bScale: a.f64('b_scale'),
    bZeroPoint: a.int('b_zero_point'),
    scale: a.f64('scale'),
    zeroPoint: a.int('zero_point'),
    relu: a.bool('relu', false),
  };
}

/** An avg_pool2d's qparams and window as quantized_avg_pool2d and qnnpack_avg_pool2d take them: stride defaults to the kernel size. */
function avgPoolWindowAttrs(a: Attrs) {
  const kernelSize = a.intPair('kernel_size');
  return {
    scale: a.f64('scale'),
    zeroPoint: a.int('zero_point'),
    kernelSize,
    // torch's default stride (none given) is the kernel size
    stride: a.has('stride') ? a.intPair('stride') : kernelSize,
    padding: a.has('padding') ? a.intPair('padding') : ([0, 0] as const),
    countIncludePad: a.bool('count_include_pad', true),
    divisorOverride: a.optionalInt('divisor_override'),
  };
}

/** quantized_avg_pool2d@1 (torch 1.13) and @2 (torch 2.6): one input x. */
function quantizedAvgPool2dHandler(semantics: 1 | 2): Handler {
  return (ops, a, i) => ({
    y: ops.quantizedAvgPool2d(i.int('x'), {
      ...avgPoolWindowAttrs(a),
      ceilMode: a.bool('ceil_mode', false),
      memoryFormat: a.strOr<MemoryFormat>('memory_format', 'contiguous'),
      cpuCapability: a.str<AtenCpuCapability>('cpu_capability'),
      semantics,
    }),
  });
}

const HANDLERS: Record<OpName, Handler> = {
  'calculate_qmin_qmax@1': V1.calculateQminQmax,
  'calculate_qparams@1': V1.calculateQparams,
  'quantize_per_tensor@1': (ops, a, i) => ({
    q: ops.quantizePerTensor(i.f32('x'), { scale: a.f64('scale'), zeroPoint: a.int('zero_point'), dtype: a.str('dtype') }),
  }),
  'quantized_add@1': quantizedAddHandler(1),
  'quantized_add@2': quantizedAddHandler(2),
  'quantized_adaptive_avg_pool2d@1': (ops, a, i) => ({
    y: ops.quantizedAdaptiveAvgPool2d(i.int('x'), {
      scale: a.f64('scale'),
      zeroPoint: a.int('zero_point'),
      outputSize: a.intPair('output_size'),
      memoryFormat: a.strOr('memory_format', 'contiguous'),
    }),
  }),
  'quantized_cat@1': quantizedCatHandler(1),
  'quantized_avg_pool2d@1': quantizedAvgPool2dHandler(1),
  'quantized_cat@2': quantizedCatHandler(2),
  'quantized_avg_pool2d@2': quantizedAvgPool2dHandler(2),
  'qnnpack_avg_pool2d@1': (ops, a, i) => ({ y: ops.qnnpackAvgPool2d(i.int('x'), avgPoolWindowAttrs(a)) }),
  'qnnpack_add@1': (ops, a, i) => ({ y: ops.qnnpackAdd(i.int('a'), i.int('b'), binaryQparams(a)) }),
  'xnnpack_add@1': (ops, a, i) => ({ y: ops.xnnpackAdd(i.int('a'), i.int('b'), binaryQparams(a)) }),
  'quantized_hardswish@1': quantizedHardswishHandler(1),
  'quantized_mul@1': quantizedMulHandler(1),
  'quantized_mul@2': quantizedMulHandler(2),
  'quantized_hardswish@2': quantizedHardswishHandler(2),
  'quantized_hardsigmoid@2': quantizedHardsigmoidHandler(2),
  'quantized_hardsigmoid@1': quantizedHardsigmoidHandler(1),
  'qnnpack_hardswish@1': (ops, a, i) => ({ y: ops.qnnpackHardswish(i.int('x'), { xScale: a.f64('x_scale'), xZeroPoint: a.int('x_zero_point'), scale: a.f64('scale'), zeroPoint: a.int('zero_point') }) }),
  'qnnpack_hardsigmoid@1': (ops, a, i) => ({ y: ops.qnnpackHardsigmoid(i.int('x'), { xScale: a.f64('x_scale'), xZeroPoint: a.int('x_zero_point') }) }),
  'quantized_mean@1': quantizedMeanHandler(1),
  'quantized_mean@2': quantizedMeanHandler(2),
  'qnnpack_mean@1': (ops, a, i) => ({ y: ops.qnnpackMean(i.int('x'), { xScale: a.f64('x_scale'), xZeroPoint: a.int('x_zero_point'), dims: a.intList('dim'), keepdim: a.bool('keepdim', false) }) }),
  'decomposed_quantize_per_tensor@1': (ops, a, i) => ({
    q: ops.decomposedQuantizePerTensor(i.f32('x'), { scale: a.f64('scale'), zeroPoint: a.int('zero_point'), quantMin: a.int('quant_min'), quantMax: a.int('quant_max'), dtype: a.str('dtype') }),
  }),
  'decomposed_dequantize_per_tensor@1': (ops, a, i) => ({
    x: ops.decomposedDequantizePerTensor(i.int('q'), { scale: a.f64('scale'), zeroPoint: a.int('zero_point'), quantMin: a.int('quant_min'), quantMax: a.int('quant_max'), dtype: a.str('dtype') }),
  }),
  'decomposed_quantize_per_channel@1': (ops, a, i) => ({
    q: ops.decomposedQuantizePerChannel(i.f32('x'), i.f32('scales'), i.int('zero_points'), { axis: a.int('axis'), quantMin: a.int('quant_min'), quantMax: a.int('quant_max'), dtype: a.str('dtype') }),
  }),
  'decomposed_dequantize_per_channel@1': (ops, a, i) => ({
    x: ops.decomposedDequantizePerChannel(i.int('q'), i.f32('scales'), i.optional('zero_points') === null ? null : i.int('zero_points'), {
      axis: a.int('axis'),
      quantMin: a.int('quant_min'),
      quantMax: a.int('quant_max'),
      dtype: a.str('dtype'),
    }),
  }),
  'decomposed_choose_qparams@1': (ops, a, i) => {
    const { scale, zeroPoint } = ops.decomposedChooseQparams(i.f32('x'), { quantMin: a.int('quant_min'), quantMax: a.int('quant_max'), eps: a.f64('eps'), dtype: a.str('dtype') });
    return { scale, zero_point: zeroPoint };
  },
  'quantize_per_channel@1': (ops, a, i) => ({
    q: ops.quantizePerChannel(i.f32('x'), i.f64('scales'), i.int('zero_points'), { axis: a.int('axis'), dtype: a.str('dtype') }),
  }),
  'dequantize_per_tensor@1': (ops, a, i) => ({
    x: ops.dequantizePerTensor(i.int('q'), { scale: a.f64('scale'), zeroPoint: a.int('zero_point') }),
  }),
  'dequantize_per_channel@1': (ops, a, i) => ({
    x: ops.dequantizePerChannel(i.int('q'), i.f64('scales'), i.int('zero_points'), { axis: a.int('axis') }),
  }),
  'quantize_per_channel_float_qparams@1': (ops, a, i) => ({
    q: ops.quantizePerChannelFloatQparams(i.f32('x'), i.f32('scales'), i.f32('zero_points'), { axis: a.int('axis'), dtype: a.str('dtype') }),
  }),
  'dequantize_per_channel_float_qparams@1': (ops, a, i) => ({
    x: ops.dequantizePerChannelFloatQparams(i.int('q'), i.f32('scales'), i.f32('zero_points'), { axis: a.int('axis') }),
  }),
  'fake_quantize_per_tensor_affine@1': (ops, a, i) => ({
    y: ops.fakeQuantizePerTensorAffine(i.f32('x'), { scale: a.f64('scale'), zeroPoint: a.int('zero_point'), quantMin: a.int('quant_min'), quantMax: a.int('quant_max') }),
  }),
  'fake_quantize_per_channel_affine@1': (ops, a, i) => ({
    y: ops.fakeQuantizePerChannelAffine(i.f32('x'), i.f32('scales'), i.int('zero_points'), { axis: a.int('axis'), quantMin: a.int('quant_min'), quantMax: a.int('quant_max') }),
  }),
  'min_max_observer@1': V1.minMax,
  'moving_average_min_max_observer@1': V1.movingAverage,
  'per_channel_min_max_observer@1': V1.perChannel,
  'moving_average_per_channel_min_max_observer@1': V1.movingAveragePerChannel,
  'calculate_qmin_qmax@2': V2.calculateQminQmax,
  'calculate_qparams@2': V2.calculateQparams,
  'min_max_observer@2': V2.minMax,
  'moving_average_min_max_observer@2': V2.movingAverage,
  'per_channel_min_max_observer@2': V2.perChannel,
  'moving_average_per_channel_min_max_observer@2': V2.movingAveragePerChannel,
  'fixed_qparams_observer@1': (ops, a, i) =>
    observerOutputs(
      ops.fixedQparamsObserver(i.f32List('batches'), {
        scale: a.f64('scale'),
        zeroPoint: a.int('zero_point'),
        dtype: a.strOr('dtype', DEFAULT_DTYPE),
        qscheme: a.strOr('qscheme', 'per_tensor_affine'),
        quantMin: a.optionalInt('quant_min') ?? 0,
        quantMax: a.optionalInt('quant_max') ?? 255,
      }),
    ),
  'placeholder_observer@1': (ops, a, i) => ops.placeholderObserver(i.f32List('batches'), { dtype: a.strOr('dtype', 'float32') as QuantDtype }),
  'histogram_observer@1': (ops, a, i) =>
    histogramOutputs(ops.histogramObserver(i.f32List('batches'), { ...histogramConfig(a), upsampleRate: a.optionalInt('upsample_rate') ?? DEFAULT_UPSAMPLE_RATE })),
  'histogram_observer@2': (ops, a, i) => {
    const upsampleRate = a.refused('upsample_rate');
    if (upsampleRate !== undefined) {
      throw new QconformError('malformed_request', 'histogram_observer@2: attrs.upsample_rate', upsampleRate, 'torch 2.x fixes the upsample rate at 16 and takes no such argument');
    }
    return histogramOutputs(ops.histogramObserverV2(i.f32List('batches'), histogramConfig(a, 2)));
  },
};

/** HistogramObserver's constructor defaults: bins=2048, upsample_rate=128 (1.13); sum_lane_width 8 is AVX2's float lanes. */
const DEFAULT_BINS = 2048;
const DEFAULT_UPSAMPLE_RATE = 128;
const DEFAULT_SUM_LANE_WIDTH = 8;

function histogramConfig(a: Attrs, semantics: QrangeSemantics = 1): HistogramObserverAttrs {
  return { ...qparamsConfig(a, semantics), bins: a.optionalInt('bins') ?? DEFAULT_BINS, sumLaneWidth: (a.optionalInt('sum_lane_width') ?? DEFAULT_SUM_LANE_WIDTH) as SumLaneWidth };
}

function histogramOutputs(r: HistogramObserverResult): TypedOutputs {
  return { min_val: r.minVal, max_val: r.maxVal, histogram: r.histogram, scale: r.scale, zero_point: r.zeroPoint };
}

export function isOpName(op: unknown): op is OpName {
  return typeof op === 'string' && (OP_NAMES as readonly string[]).includes(op);
}

/** Every op name `ops` answers through evaluateRequest: the handshake's `ops` list. */
export function servedOpNames(ops: QuantOps & Partial<ConvOps> & Partial<RequantizeOps> & Partial<OnnxQuantOps> & Partial<OnnxQOps>): string[] {
  return [
    ...OP_NAMES,
    ...(ops.quantizedConv2d ? CONV_OP_NAMES : []),
    ...(ops.requantize ? REQUANTIZE_OP_NAMES : []),
    ...(hasLinearOps(ops) ? LINEAR_OP_NAMES : []),
    ...(ops.quantizeLinear ? ONNX_QUANT_OP_NAMES : []),
    ...(ops.matmulInteger ? ONNX_QOP_NAMES : []),
  ];
}

function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The outputs in the wire form the request asked for (integers stay JSON integers). */
function encodeOutputs(outputs: TypedOutputs, encoding: WireEncoding): WireOutputs {
  const wire: WireOutputs = {};
  for (const [name, v] of Object.entries(outputs)) wire[name] = typeof v === 'number' ? v : encodeTensor(v, encoding);
  return wire;
}

/** The error response of a failed request: QconformErrors keep their code, anything else is internal_error. */
export function errorResponse(id: string | null, e: unknown): WireResponse {
  if (isQconformError(e)) return { id, error: { code: e.code, message: e.message } };
  return { id, error: { code: 'internal_error', message: e instanceof Error ? `${e.name}: ${e.message}` : formatValue(e) } };
}

type AllOps = QuantOps & Partial<ConvOps> & Partial<RequantizeOps> & Partial<OnnxQuantOps> & Partial<OnnxQOps>;
type Route = (ops: AllOps, a: Attrs, i: Inputs, attrs: Record<string, unknown>) => TypedOutputs;

/** The handler of `op` on `ops` (its family's dispatcher), or unknown_op. */
function routeOf(ops: AllOps, op: unknown): Route {
  if (isConvOpName(op) && ops.quantizedConv2d) return (o, a, i) => evaluateConv(o as ConvOps, op, a, i);
  if (isRequantizeOpName(op) && ops.requantize) return (o, a, i) => evaluateRequantize(o as RequantizeOps, a, i);
  if (isLinearOpName(op) && hasLinearOps(ops)) return (o, a, i) => evaluateLinear(o as AllOps & LinearOps, op, a, i);
  if (isOnnxQuantOpName(op) && ops.quantizeLinear) return (o, a, i, attrs) => evaluateOnnxQuant(o as OnnxQuantOps, op, a, i, attrs);
  if (isOnnxQOpName(op) && ops.matmulInteger) return (o, a, i, attrs) => evaluateOnnxQOp(o as OnnxQOps, op, a, i, attrs);
  if (!isOpName(op)) throw new QconformError('unknown_op', 'request.op', op);
  return (o, a, i) => HANDLERS[op](o, a, i);
}

/**
 * Evaluate one request; every failure is returned as an error response with a typed code. The id is a JSON
 * string (docs/protocol.md, "Limits"): a request that is not an object or has no string id is answered
 * malformed_request with id null, since there is no id to echo.
 */
export function evaluateRequest(ops: AllOps, request: unknown): WireResponse {
  return evaluate(ops, request).response;
}

/**
 * unreadFieldRefusal's ops: each method refuses the request's unread fields (`refuse`), then stops, so nothing is
 * computed. A Proxy per call, on that path only (the torch and native built-ins' requests, each sent to a process
 * after it); not through
 * withUnreadRefused, whose twin wraps the methods an ops object has, which a Proxy over {} lists none of.
 */
function decodeOnly(refuse: () => void): AllOps {
  return new Proxy({} as AllOps, {
    get: () => () => {
      refuse();
      throw new Error('decoded (not computed)');
    },
  });
}

/**
 * The answer reference/ and impl/ give `request` when they refuse a field its op does not take (request_fields.ts
 * refuseUnread), before anything is computed; null when they do not (no such field, or another refusal first: a field
 * that does not decode, an unknown op). The same evaluation as evaluateRequest's, up to its first op call, so the
 * answer is theirs, id, code and message alike. For the backends that forward a request to a process whose adapter can
 * refuse such a field only once its library has answered (the torch and native adapters: unread_fields_first.ts).
 */
export function unreadFieldRefusal(request: unknown): WireResponse | null {
  const { response, unread } = evaluate(null, request);
  return unread ? response : null;
}

/**
 * evaluateRequest's evaluation (on `ops`; null: up to the first op call, unreadFieldRefusal), and whether its answer is
 * the refusal of a field the op does not take.
 */
function evaluate(ops: AllOps | null, request: unknown): { response: WireResponse; unread: boolean } {
  let id: string | null = null;
  let unread = false;
  try {
    if (!isJsonObject(request)) throw new QconformError('malformed_request', 'request', request, 'a request is a JSON object');
    if (typeof request.id !== 'string') throw new QconformError('malformed_request', 'request.id', request.id ?? null, 'the id is a JSON string (answered with id null)');
    id = request.id;
    const encoding = requestEncoding(request);
    const op = request.op;
    // unreadFieldRefusal's ops refuse the unread fields at their first call (refuse, below), then stop
    const target = ops ?? decodeOnly(() => refuse());
    const route = routeOf(target, op);
    const attrs = requestSection(request.attrs, 'attrs', op as string);
    const a = new Attrs(attrs, op as string);
    const i = new Inputs(requestSection(request.inputs, 'inputs', op as string), op as string);
    // every op method refuses the fields its handler did not read before it computes (request_fields.ts)
    const refuse = () => {
      try {
        refuseUnread(op as string, a, i);
      } catch (e) {
        unread = true;
        throw e;
      }
    };
    const outputs = ops ? withUnreadRefused(ops, refuse, (guarded) => route(guarded, a, i, attrs)) : route(target, a, i, attrs);
    refuse();
    return { response: { id, outputs: encodeOutputs(outputs, encoding) }, unread };
  } catch (e) {
    return { response: errorResponse(id, e), unread };
  }
}
