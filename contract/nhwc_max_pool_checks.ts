/**
 * The contract check of nhwc_max_pool@1 (com.microsoft NhwcMaxPool-1, onnxruntime/contrib_ops/cpu/quantization/
 * nhwc_max_pool.cc), run once by reference/ and impl/; it returns the window geometry both compute from.
 * ORT 1.30 registers uint8 and int8; x is [N, spatial..., C] with any number of spatial dims (the kernel's rank).
 * The attributes are ONNX MaxPool's read by PoolAttributes (core/providers/cpu/nn/pool_attributes.h): kernel_shape
 * (required), strides, pads, dilations, ceil_mode, auto_pad; storage_order is not in the schema. Output sizes are
 * PoolAttributes::ComputeSizePadDilations as ORT 1.30 computes them (qlinear_pool_checks.ts poolOutputSize), measured
 * with onnxruntime-node 1.30.0:
 *   n = in + pad_head + pad_tail - dilation * (kernel - 1) - 1
 *   floor mode: out = n / stride + 1 in C++ integer division (truncation: n = -1, stride 2 gives 1)
 *   ceil mode:  out = ceil(n / stride) + 1, then one less when the last window starts at or past in + pad_head
 *               (the last window starts inside the image or its head pad, onnx/onnx#5741)
 * auto_pad SAME_* computes its pads from the undilated kernel (legacy_target_size), VALID zero pads.
 * Empty tensors (probed with onnxruntime-node 1.30, each request run twice): x with N = 0 gives ORT's empty output
 * [0, pooled..., C] (any C and spatial dims, their pooled sizes as above); an empty x with N > 0 is refused, as ORT
 * refuses it ("Only N can be zero", qlinear_pool_checks.ts ORT_POOL_ONLY_N_EMPTY). A pooled size of 0 gives ORT's
 * empty output too ([N, ..., 0, ..., C]); a negative one is refused (`empty_output`, qlinear_pool_checks.ts
 * ORT_POOLED_NEGATIVE, ORT_POOLED_BELOW_MINUS_ONE).
 * Refusals beyond ORT's own: explicit pads with auto_pad (ORT lets auto_pad overwrite them). ORT's own: a pad of its
 * kernel size or more ("Pad should be smaller than kernel"), strides or dilations below 1, a kernel of the wrong rank
 * ("Attribute kernel_shape has incorrect size").
 */
import { QconformError } from './errors.js';
import { MAX_CONV_MACS, MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import { type NhwcMaxPoolArgs } from './onnx_qops.js';
import { checkOnlyNEmpty, checkPoolWindow, checkPooledSizes, checkQ8Values, effectivePads, intList, poolOutputSize } from './qlinear_pool_checks.js';
import { numel } from './tensor.js';
import { validateList } from './validate.js';

export interface NhwcMaxPoolGeometry {
  readonly dtype: 'quint8' | 'qint8';
  readonly batch: number;
  readonly channels: number;
  /** per spatial dim: x's size, the output's size, the kernel, stride, dilation and the head pad ORT computes with */
  readonly inDims: readonly number[];
  readonly outDims: readonly number[];
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly padHeads: readonly number[];
  readonly outShape: readonly number[];
}

export function checkNhwcMaxPool(what: string, a: NhwcMaxPoolArgs): NhwcMaxPoolGeometry {
  const dtype = checkQ8Values(`${what}: x`, a.x);
  const shape = a.x.shape;
  if (shape.length < 3) throw new QconformError('shape_mismatch', `${what}: x`, shape, 'rank >= 3, [N, spatial..., C] ("Input dimension cannot be less than 3")');
  checkOnlyNEmpty(`${what}: x`, shape);
  const k = shape.length - 2;
  validateList(`${what}: kernel_shape`, a.kernelShape, `a list of ${k} integers`);
  if (a.kernelShape.length !== k) throw new QconformError('shape_mismatch', `${what}: kernel_shape`, a.kernelShape, `one entry per spatial dim of x (${k}): "Attribute kernel_shape has incorrect size"`);
  checkPoolWindow(what, a, k);
  intList(`${what}: dilations`, a.dilations, k, 1);
  const inDims = shape.slice(1, -1);
  const pads = inDims.map((n, d) => effectivePads(a.autoPad, n, a.kernelShape[d]!, a.strides[d]!, a.pads[d]!, a.pads[d + k]!));
  const outDims = inDims.map((n, d) => poolOutputSize(n, a.kernelShape[d]!, a.strides[d]!, a.dilations[d]!, pads[d]![0], pads[d]![1], a.ceilMode));
  checkPooledSizes(what, inDims, outDims);
  const channels = shape[shape.length - 1]!;
  const outShape = [shape[0]!, ...outDims, channels];
  checkLimit(`${what}: output elements`, numel(outShape), MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  checkLimit(`${what}: window reads (output elements * kernel size)`, numel(outShape) * numel(a.kernelShape), MAX_CONV_MACS, 'MAX_CONV_MACS');
  return { dtype, batch: shape[0]!, channels, inDims, outDims, kernel: a.kernelShape, strides: a.strides, dilations: a.dilations, padHeads: pads.map(([h]) => h), outShape };
}
