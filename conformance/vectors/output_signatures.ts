/**
 * What each op of the contract returns on the wire (the names dispatch.ts encodes, the dtypes the ops
 * produce per contract/ops.ts, conv.ts and requantize.ts), so that a vector case's expected outputs can
 * be checked before any backend is blamed for not producing them.
 */
import { torchPooledSize } from '../../contract/torch_pool_layout.js';
import type { ConvOpName } from '../../contract/conv.js';
import type { OpName } from '../../contract/ops.js';
import type { RequantizeOpName } from '../../contract/requantize.js';
import type { LinearOpName } from '../../contract/linear.js';
import type { OnnxQuantOpName } from '../../contract/onnx_quant.js';
import type { OnnxQOpName } from '../../contract/onnx_qops.js';
import type { WireRequest } from '../protocol/messages.js';
import { channelBroadcast } from '../../contract/decomposed_channel_broadcast.js';
import { broadcastShapes } from '../../contract/broadcast.js';
import { normalizeAxis } from '../../contract/validate.js';

/**
 * The dtypes one output may have ('integer' = a JSON integer scalar), and the input whose shape it keeps (or the shape
 * it has, computed from the request; undefined where the request has no valid one).
 */
export interface OutputRule {
  readonly dtypes: (request: WireRequest) => readonly string[];
  readonly shapeOf?: string | ((request: WireRequest) => readonly number[] | undefined);
}

export interface OutputSignature {
  readonly required: Readonly<Record<string, OutputRule>>;
  readonly optional?: Readonly<Record<string, OutputRule>>;
  /** Why the op never has outputs (it always raises). */
  readonly neverReturns?: string;
}

const fixed =
  (...dtypes: string[]) =>
  () =>
    dtypes;
const F32: OutputRule = { dtypes: fixed('float32') };
/** int32 for affine qschemes, int64 for symmetric ones (and torch's default qparams), float32 for per_channel_affine_float_qparams. */
const ZERO_POINT: OutputRule = { dtypes: fixed('int32', 'int64', 'float32') };
const INTEGER: OutputRule = { dtypes: fixed('integer') };
const attrDtype = (r: WireRequest) => [String(r.attrs?.dtype)];
const inputDtype = (name: string) => (r: WireRequest) => [String((r.inputs?.[name] as { dtype?: unknown } | undefined)?.dtype)];

/** An adaptive pool's output shape: x's with its last two dimensions replaced by output_size. */
function adaptivePoolShape(r: WireRequest): readonly number[] | undefined {
  const shape = (r.inputs?.['x'] as { shape?: unknown } | undefined)?.shape;
  const size = r.attrs?.['output_size'];
  if (!Array.isArray(shape) || shape.length < 2 || !Array.isArray(size) || size.length !== 2) return undefined;
  return [...(shape as number[]).slice(0, -2), ...(size as number[])];
}

/** A concatenation's output shape: the inputs' (xs) with their extents along dim summed; undefined when they do not concatenate. */
function catShape(r: WireRequest): readonly number[] | undefined {
  const xs = r.inputs?.['xs'];
  const dim = r.attrs?.['dim'];
  if (!Array.isArray(xs) || xs.length === 0 || typeof dim !== 'number') return undefined;
  const shapes = xs.map((x) => (x as { shape?: unknown } | undefined)?.shape);
  if (!shapes.every((s): s is number[] => Array.isArray(s))) return undefined;
  const rank = shapes[0]!.length;
  const d = dim < 0 ? dim + rank : dim;
  if (d < 0 || d >= rank) return undefined;
  return shapes[0]!.map((extent, j) => (j === d ? shapes.reduce((sum, s) => sum + (s[d] as number), 0) : extent));
}

/** An avg_pool2d's output shape: x's with H and W pooled (torchPooledSize; stride defaults to the kernel, padding to 0). */
function avgPoolShape(r: WireRequest): readonly number[] | undefined {
  const shape = (r.inputs?.['x'] as { shape?: unknown } | undefined)?.shape;
  const pair = (name: string, fallback: unknown) => (r.attrs?.[name] ?? fallback) as unknown;
  const [k, s, p] = [pair('kernel_size', null), pair('stride', r.attrs?.['kernel_size']), pair('padding', [0, 0])];
  const pairs = [k, s, p].every((v) => Array.isArray(v) && v.length === 2 && v.every((d) => Number.isSafeInteger(d)));
  if (!Array.isArray(shape) || shape.length < 2 || !pairs) return undefined;
  const [kk, ss, pp] = [k, s, p] as [number[], number[], number[]];
  const ceil = r.attrs?.['ceil_mode'] === true;
  const dims = shape as number[];
  return [...dims.slice(0, -2), ...[0, 1].map((d) => torchPooledSize(dims[dims.length - 2 + d]!, kk[d]!, pp[d]!, ss[d]!, 1, ceil))];
}

/** A mean over H and W's output shape: [N, C], or [N, C, 1, 1] with keepdim. */
function meanShape(r: WireRequest): readonly number[] | undefined {
  const shape = (r.inputs?.['x'] as { shape?: unknown } | undefined)?.shape;
  if (!Array.isArray(shape) || shape.length !== 4) return undefined;
  return r.attrs?.['keepdim'] === true ? [shape[0] as number, shape[1] as number, 1, 1] : [shape[0] as number, shape[1] as number];
}

/** A broadcasting binary op's output shape: inputs a's and b's broadcast; undefined when they do not broadcast. */
function broadcastShapeOf(a: string, b: string): (r: WireRequest) => readonly number[] | undefined {
  return (r) => {
    const shapes = [a, b].map((name) => (r.inputs?.[name] as { shape?: unknown } | undefined)?.shape);
    if (!shapes.every((s): s is number[] => Array.isArray(s))) return undefined;
    try {
      return broadcastShapes('output shape', { a: shapes[0]!, b: shapes[1]! });
    } catch {
      return undefined;
    }
  };
}

/** The per-channel quantized_decomposed ops: `input`'s shape, its axis dimension broadcast against C = scales.shape[0]. */
function channelBroadcastShape(input: string): (r: WireRequest) => readonly number[] | undefined {
  return (r) => {
    const shape = (r.inputs?.[input] as { shape?: unknown } | undefined)?.shape;
    const scales = (r.inputs?.['scales'] as { shape?: unknown } | undefined)?.shape;
    if (!Array.isArray(shape) || !Array.isArray(scales) || scales.length === 0) return undefined;
    try {
      // an axis that is not an integer in [-ndim, ndim) has no shape: normalizeAxis refuses it
      const axis = normalizeAxis(input, r.attrs?.['axis'] as number, shape.length, true);
      return channelBroadcast(input, shape as number[], axis, scales[0] as number).shape;
    } catch {
      return undefined;
    }
  };
}

const QPARAMS = { scale: F32, zero_point: ZERO_POINT };
const OBSERVER: OutputSignature = { required: { min_val: F32, max_val: F32, ...QPARAMS } };
const HISTOGRAM: OutputSignature = { required: { min_val: F32, max_val: F32, histogram: F32, ...QPARAMS } };

/** Every op name of the contract (OP_NAMES, CONV_OP_NAMES, REQUANTIZE_OP_NAMES, LINEAR_OP_NAMES, ONNX_QUANT_OP_NAMES, ONNX_QOP_NAMES) has its signature here. */
export const OUTPUT_SIGNATURES: Readonly<Record<OpName | ConvOpName | RequantizeOpName | LinearOpName | OnnxQuantOpName | OnnxQOpName, OutputSignature>> = {
  'calculate_qmin_qmax@1': { required: { quant_min: INTEGER, quant_max: INTEGER } },
  'calculate_qparams@1': { required: QPARAMS },
  'quantize_per_tensor@1': { required: { q: { dtypes: attrDtype, shapeOf: 'x' } } },
  'quantize_per_channel@1': { required: { q: { dtypes: attrDtype, shapeOf: 'x' } } },
  'quantized_add@1': { required: { y: { dtypes: inputDtype('a'), shapeOf: 'a' } } },
  'quantized_add@2': { required: { y: { dtypes: inputDtype('a'), shapeOf: 'a' } } },
  'quantized_adaptive_avg_pool2d@1': { required: { y: { dtypes: inputDtype('x'), shapeOf: adaptivePoolShape } } },
  'quantized_cat@1': { required: { y: { dtypes: (r) => [String(((r.inputs?.['xs'] as unknown[] | undefined)?.[0] as { dtype?: unknown } | undefined)?.dtype)], shapeOf: catShape } } },
  'quantized_cat@2': { required: { y: { dtypes: (r) => [String(((r.inputs?.['xs'] as unknown[] | undefined)?.[0] as { dtype?: unknown } | undefined)?.dtype)], shapeOf: catShape } } },
  'quantized_avg_pool2d@1': { required: { y: { dtypes: inputDtype('x'), shapeOf: avgPoolShape } } },
  'quantized_avg_pool2d@2': { required: { y: { dtypes: inputDtype('x'), shapeOf: avgPoolShape } } },
  'qnnpack_add@1': { required: { y: { dtypes: inputDtype('a'), shapeOf: 'a' } } },
  'xnnpack_add@1': { required: { y: { dtypes: inputDtype('a'), shapeOf: 'a' } } },
  'qnnpack_avg_pool2d@1': { required: { y: { dtypes: inputDtype('x'), shapeOf: avgPoolShape } } },
  'quantized_hardswish@1': { required: { y: { dtypes: inputDtype('x'), shapeOf: 'x' } } },
  'quantized_hardsigmoid@1': { required: { y: { dtypes: inputDtype('x'), shapeOf: 'x' } } },
  'quantized_mul@1': { required: { y: { dtypes: inputDtype('a'), shapeOf: broadcastShapeOf('a', 'b') } } },
  'qnnpack_hardswish@1': { required: { y: { dtypes: fixed('quint8'), shapeOf: 'x' } } },
  'qnnpack_hardsigmoid@1': { required: { y: { dtypes: fixed('quint8'), shapeOf: 'x' } } },
  'quantized_mean@1': { required: { y: { dtypes: inputDtype('x'), shapeOf: meanShape } } },
  'quantized_mean@2': { required: { y: { dtypes: inputDtype('x'), shapeOf: meanShape } } },
  'qnnpack_mean@1': { required: { y: { dtypes: inputDtype('x'), shapeOf: meanShape } } },
  'quantized_mul@2': { required: { y: { dtypes: inputDtype('a'), shapeOf: broadcastShapeOf('a', 'b') } } },
  'quantized_hardswish@2': { required: { y: { dtypes: inputDtype('x'), shapeOf: 'x' } } },
  'quantized_hardsigmoid@2': { required: { y: { dtypes: inputDtype('x'), shapeOf: 'x' } } },
  'decomposed_quantize_per_tensor@1': { required: { q: { dtypes: attrDtype, shapeOf: 'x' } } },
  'decomposed_dequantize_per_tensor@1': { required: { x: { ...F32, shapeOf: 'q' } } },
  'decomposed_quantize_per_channel@1': { required: { q: { dtypes: attrDtype, shapeOf: channelBroadcastShape('x') } } },
  'decomposed_dequantize_per_channel@1': { required: { x: { ...F32, shapeOf: channelBroadcastShape('q') } } },
  'decomposed_choose_qparams@1': { required: { scale: { dtypes: fixed('float64') }, zero_point: { dtypes: fixed('int64') } } },
  'quantize_per_channel_float_qparams@1': { required: { q: { dtypes: attrDtype, shapeOf: 'x' } } },
  'dequantize_per_tensor@1': { required: { x: { ...F32, shapeOf: 'q' } } },
  'dequantize_per_channel@1': { required: { x: { ...F32, shapeOf: 'q' } } },
  'dequantize_per_channel_float_qparams@1': { required: { x: { ...F32, shapeOf: 'q' } } },
  'fake_quantize_per_tensor_affine@1': { required: { y: { ...F32, shapeOf: 'x' } } },
  'fake_quantize_per_channel_affine@1': { required: { y: { ...F32, shapeOf: 'x' } } },
  'min_max_observer@1': OBSERVER,
  'moving_average_min_max_observer@1': OBSERVER,
  'per_channel_min_max_observer@1': OBSERVER,
  'moving_average_per_channel_min_max_observer@1': OBSERVER,
  'fixed_qparams_observer@1': { required: QPARAMS, optional: { min_val: F32, max_val: F32 } },
  'placeholder_observer@1': { required: {}, neverReturns: 'placeholder_observer@1 always raises placeholder_has_no_qparams' },
  'histogram_observer@1': HISTOGRAM,
  'histogram_observer@2': HISTOGRAM,
  'calculate_qmin_qmax@2': { required: { quant_min: INTEGER, quant_max: INTEGER } },
  'calculate_qparams@2': { required: QPARAMS },
  'min_max_observer@2': OBSERVER,
  'moving_average_min_max_observer@2': OBSERVER,
  'per_channel_min_max_observer@2': OBSERVER,
  'moving_average_per_channel_min_max_observer@2': OBSERVER,
  'quantized_conv2d@1': { required: { y: { dtypes: inputDtype('x') } } },
  'requantize@1': { required: { y: { dtypes: fixed('int32'), shapeOf: 'acc' } } },
  'quantized_linear@1': { required: { y: { dtypes: inputDtype('x') } } },
  'quantized_linear_dynamic@1': { required: { y: F32 } },
  'quantize_linear@1': { required: { y: { dtypes: attrDtype, shapeOf: 'x' } } },
  'dequantize_linear@1': { required: { y: { ...F32, shapeOf: 'x' } } },
  'ms_quantize_linear@1': { required: { y: { dtypes: (r) => [String((r.inputs?.y_zero_point as { dtype?: unknown } | undefined)?.dtype ?? 'uint8')], shapeOf: 'x' } } },
  'ms_dequantize_linear@1': { required: { y: { ...F32, shapeOf: 'x' } } },
  'dynamic_quantize_linear@1': { required: { y: { dtypes: fixed('uint8'), shapeOf: 'x' }, y_scale: F32, y_zero_point: { dtypes: fixed('uint8') } } },
  'matmul_integer@1': { required: { y: { dtypes: fixed('int32') } } },
  'qlinear_matmul@1': { required: { y: { dtypes: inputDtype('a') } } },
  // the dtype of a, or float32 when y_scale is omitted
  'qgemm@1': { required: { y: { dtypes: (r) => (r.inputs?.y_scale ? inputDtype('a')(r) : ['float32']) } } },
  'conv_integer@1': { required: { y: { dtypes: fixed('int32') } } },
  'qlinear_add@1': { required: { y: { dtypes: inputDtype('a') } } },
  'qlinear_mul@1': { required: { y: { dtypes: inputDtype('a') } } },
  'matmul_integer_to_float@1': { required: { y: { dtypes: fixed('float32') } } },
  'dynamic_quantize_matmul@1': { required: { y: { dtypes: fixed('float32') } } },
  'qlinear_leaky_relu@1': { required: { y: { dtypes: inputDtype('x') } } },
  'qlinear_sigmoid@1': { required: { y: { dtypes: inputDtype('x') } } },
  'qlinear_softmax@1': { required: { y: { dtypes: inputDtype('x') } } },
  'qlinear_global_average_pool@1': { required: { y: { dtypes: inputDtype('x') } } },
  'qlinear_average_pool@1': { required: { y: { dtypes: inputDtype('x') } } },
  'qlinear_concat@1': { required: { y: { dtypes: inputDtype('y_zero_point') } } },
  'matmul_integer16@1': { required: { y: { dtypes: fixed('int32') } } },
  'nhwc_max_pool@1': { required: { y: { dtypes: inputDtype('x') } } },
  'qlinear_where@1': { required: { y: { dtypes: inputDtype('z_zero_point') } } },
  'dynamic_quantize_lstm@1': { required: { y: { dtypes: fixed('float32') }, y_h: { dtypes: fixed('float32') }, y_c: { dtypes: fixed('float32') } } },
  'qlinear_conv_nhwc@1': { required: { y: { dtypes: inputDtype('x') } } },
  // the scales' type (ORT's T2): float32 or float16
  'gather_block_quantized@1': { required: { y: { dtypes: (r) => [(r.inputs?.scales as { dtype?: string } | undefined)?.dtype === 'float16' ? 'float16' : 'float32'] } } },
  'matmul_nbits@1': { required: { y: F32 } },
  'qattention@1': { required: { y: { dtypes: fixed('float32') } }, optional: { present: F32 } },
  'qembed_layer_normalization@1': { required: { y: F32, mask_index: { dtypes: fixed('int32') } } },
};
