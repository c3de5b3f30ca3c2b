/**
 * The contract check of quantized_cat@1 (contract/quantized_cat.ts), run once by reference/ and impl/: the inputs'
 * dtypes, ranks, shapes, values, scales and zero points, the output's, dim, relu, the capability and memory format;
 * returns the layout of the concatenation and, per input, which channels take which form.
 */
import { channelVectorBlocks, checkAtenKernelAttrs, isChannelsLastContiguous } from './aten_vectorized_loop.js';
import { QconformError } from './errors.js';
import { MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import type { QuantizedCatAttrs, QuantizedCatInput } from './quantized_cat.js';
import { numel } from './tensor.js';
import { normalizeAxis, validateDtypeZeroPoint, validateList, validateObject, validateQuantizedValues, validateScale, validateShape } from './validate.js';

/** How one input's elements are requantized. */
export type CatInputForm =
  /** copied as they are (NHWC fast path, the input's qparams equal the output's, no ReLU) */
  | { readonly kind: 'copied' }
  /** NHWC fast path: channels below `vectorChannels` in the vector form, the others in the scalar form */
  | { readonly kind: 'nhwc'; readonly vectorChannels: number }
  /** generic path: dequantize_val, at::cat, quantize_val (cat_relu: a clamp at the zero point after) */
  | { readonly kind: 'generic' };

export interface QuantizedCatGeometry {
  readonly dtype: 'quint8' | 'qint8';
  /** dim wrapped to [0, rank) */
  readonly dim: number;
  readonly outShape: readonly number[];
  /** elements before dim: the number of slabs each input contributes */
  readonly outer: number;
  /** elements after dim */
  readonly inner: number;
  /** per input: its extent along dim */
  readonly extents: readonly number[];
  readonly forms: readonly CatInputForm[];
}

export function checkQuantizedCat(inputs: readonly QuantizedCatInput[], attrs: QuantizedCatAttrs): QuantizedCatGeometry {
  const what = 'quantized_cat';
  validateList(`${what}: inputs`, inputs, 'a list of { x, scale, zeroPoint }');
  if (inputs.length === 0) throw new QconformError('malformed_request', `${what}: inputs`, 0, 'at least one input tensor');
  checkLimit(`${what}: inputs`, inputs.length, MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  inputs.forEach((t, i) => validateObject(`${what}: inputs[${i}]`, t, '{ x, scale, zeroPoint }'));
  const dtype = inputs[0]!.x?.dtype;
  if (dtype !== 'quint8' && dtype !== 'qint8') throw new QconformError('invalid_dtype', `${what}: x0.dtype`, dtype, 'quint8 or qint8 (a qint32 cat is not modelled)');
  inputs.forEach((t, i) => {
    validateShape(`${what}: x${i}`, t.x);
    if (t.x.shape.includes(0)) throw new QconformError('shape_mismatch', `${what}: x${i}`, t.x.shape, 'every dimension at least 1 (empty inputs are not modelled)');
    if (t.x.dtype !== dtype) throw new QconformError('invalid_dtype', `${what}: x${i}.dtype`, t.x.dtype, `every input has x0's dtype (${dtype}): torch "All dtypes must be the same."`);
    validateQuantizedValues(`${what}: x${i}`, t.x.data, dtype);
    validateScale(`${what}: x${i} scale`, t.scale);
    validateDtypeZeroPoint(`${what}: x${i} zero_point`, t.zeroPoint, dtype);
  });
  validateScale(`${what}: scale`, attrs.scale);
  validateDtypeZeroPoint(`${what}: zero_point`, attrs.zeroPoint, dtype);
  const version = checkAtenKernelAttrs(what, attrs);
  const first = inputs[0]!.x.shape;
  if (first.length === 0) throw new QconformError('shape_mismatch', `${what}: x0`, first, 'rank >= 1 (torch: "zero-dimensional tensor cannot be concatenated")');
  const dim = normalizeAxis(`${what}: dim`, attrs.dim, first.length, true);
  if (attrs.memoryFormat === 'channels_last' && first.length !== 4) throw new QconformError('shape_mismatch', `${what}: memory_format channels_last`, first, 'a 4-D [N, C, H, W] tensor');
  const outShape = [...first];
  outShape[dim] = 0;
  inputs.forEach((t, i) => {
    const s = t.x.shape;
    if (s.length !== first.length || s.some((d, j) => j !== dim && d !== first[j])) {
      throw new QconformError('shape_mismatch', `${what}: x${i}`, { x0: first, [`x${i}`]: s }, `one rank and equal dims except along dim ${dim}`);
    }
    outShape[dim]! += s[dim]!;
  });
  checkLimit(`${what}: output elements`, numel(outShape), MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  const fastPath = attrs.dim === 1 && inputs.every((t) => isChannelsLastContiguous(t.x.shape, attrs.memoryFormat));
  const forms: CatInputForm[] = inputs.map((t) => {
    if (!fastPath) return { kind: 'generic' };
    if (t.scale === attrs.scale && t.zeroPoint === attrs.zeroPoint && !attrs.relu) return { kind: 'copied' };
    return { kind: 'nhwc', vectorChannels: channelVectorBlocks(t.x.shape[1]!, attrs.cpuCapability, version) };
  });
  const outer = first.slice(0, dim).reduce((p, d) => p * d, 1);
  const inner = first.slice(dim + 1).reduce((p, d) => p * d, 1);
  return { dtype, dim, outShape, outer, inner, extents: inputs.map((t) => t.x.shape[dim]!), forms };
}
