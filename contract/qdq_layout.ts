/**
 * Which scale and zero point each element of an ONNX QuantizeLinear / DequantizeLinear uses, as ONNX Runtime 1.30's
 * PrepareForQDQ lays it out (onnxruntime/core/providers/cpu/quantization/quantize_linear.cc): the input is viewed as
 * [outer, axisSize, inner] around the quantization axis; per tensor (a scale of one element) every element uses
 * parameter 0, per axis element (o, d, i) uses parameter d, blocked element (o, d, i) uses parameter
 * (o * ceil(axisSize / blockSize) + floor(d / blockSize)) * inner + i. Integer index arithmetic only, shared by
 * reference/ and impl/ like contract/tensor.ts's channelOf.
 */
export interface QdqLayout {
  readonly kind: 'per_tensor' | 'per_axis' | 'blocked';
  /** process_block_count: product of the dimensions before the axis */
  readonly outer: number;
  /** broadcast_dim: the axis' size */
  readonly axisSize: number;
  /** process_block_size: product of the dimensions after the axis */
  readonly inner: number;
  /** block_size (0 unless blocked) */
  readonly blockSize: number;
}

/** Per tensor, PrepareForQDQ views x as [1, 1, numel]. */
export function perTensorLayout(elements: number): QdqLayout {
  return { kind: 'per_tensor', outer: 1, axisSize: 1, inner: elements, blockSize: 0 };
}

/** The index of the scale (and zero point) of flat element `index`. */
export function qdqParamIndex(index: number, l: QdqLayout): number {
  if (l.kind === 'per_tensor') return 0;
  const i = index % l.inner;
  const d = Math.floor(index / l.inner) % l.axisSize;
  if (l.kind === 'per_axis') return d;
  const o = Math.floor(index / (l.inner * l.axisSize));
  const blocks = Math.ceil(l.axisSize / l.blockSize);
  return (o * blocks + Math.floor(d / l.blockSize)) * l.inner + i;
}

/**
 * Which of ONNX Runtime 1.30's two QuantizeLinear element steps computes element `index` (onnxruntime/core/util/qmath.h,
 * quantize_linear.cc QuantizeLinear<T>::Compute):
 *   - 'mlas': MlasQuantizeLinear / MlasQuantizeLinearS4 / U4 (mlas/lib/quantize.cpp): the quotient is clamped IN FLOAT
 *     to [qmin - zp, qmax - zp] before its conversion, so NaN gives qmin and +-inf saturate;
 *   - 'scalar': `std::clamp(static_cast<int32_t>(std::nearbyint(x / scale)) + zp, qmin, qmax)`: a NaN or a quotient
 *     outside int32 converts to INT32_MIN (x86's integer indefinite), the zero point is added in int32 (it wraps), then
 *     the clamp: so NaN and overflow give qmin, or qmax when a negative zero point wraps the sum.
 * Routes: per tensor and per axis run MlasQuantizeLinear on each run of `inner` elements (the whole tensor per tensor);
 * for 4-bit types ParQuantizeLinearStdS4/U4 quantize a run's first element alone when it starts in the middle of a
 * byte (odd flat index) and its last alone when it ends in the middle of one, with the scalar step. Blocked
 * quantization with elements after the axis (inner > 1) is BlockedQuantizeLinear::opNotLastAxis, scalar throughout;
 * blocked on the last axis (inner == 1) is opLastAxis, MlasQuantizeLinear per block, with the same 4-bit boundary rule.
 */
export type QuantizeLinearKernel = 'mlas' | 'scalar';

export function quantizeLinearKernel(index: number, l: QdqLayout, fourBit: boolean): QuantizeLinearKernel {
  if (l.kind === 'blocked' && l.inner > 1) return 'scalar';
  if (!fourBit) return 'mlas';
  // the run of elements one MLAS call covers: [start, start + length)
  let start: number;
  let length: number;
  if (l.kind !== 'blocked') {
    start = index - (index % l.inner); // per tensor, inner is the whole tensor
    length = l.inner;
  } else {
    const row = index - (index % l.axisSize);
    const first = Math.floor((index % l.axisSize) / l.blockSize) * l.blockSize;
    start = row + first;
    length = Math.min(l.blockSize, l.axisSize - first);
  }
  const last = start + length - 1;
  if (index === start && start % 2 === 1) return 'scalar';
  if (index === last && (last + 1) % 2 === 1) return 'scalar';
  return 'mlas';
}
