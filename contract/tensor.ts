import type { QuantDtype } from './dtypes.js';
import type { OnnxIntDtype } from './onnx_dtypes.js';

/** A float32 tensor: row-major data, every element a float32 value (NaN, +-inf, -0 allowed). */
export interface F32Tensor {
  readonly dtype: 'float32';
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A float64 tensor (per-channel scales as torch stores them). */
export interface F64Tensor {
  readonly dtype: 'float64';
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/**
 * A float16 (IEEE binary16) tensor: row-major bit patterns, one per element (NaN payloads, +-inf and -0 kept). ORT's
 * MLFloat16 scales and outputs (com.microsoft GatherBlockQuantized); contract/float_bits.ts reads and makes them.
 */
export interface F16Tensor {
  readonly dtype: 'float16';
  readonly shape: readonly number[];
  readonly data: Uint16Array;
}

/** Integer dtypes that appear in the contract: quantized storage, the zero-point dtypes torch returns, ONNX's integer element types. */
export type IntDtype = QuantDtype | 'int32' | 'int64' | OnnxIntDtype;

/**
 * An integer tensor's storage: Int32Array for any integer dtype; Uint8Array or Int8Array as compact storage, as ONNX
 * Runtime and TFLite hold one-byte tensors: element values are the semantics, the storage is not; a value a storage
 * cannot hold simply cannot occur there (e.g. a quint8 value of 200 in a Uint8Array is fine, -1 is not representable
 * in one, so a qint8 tensor holding -1 is not stored in a Uint8Array).
 */
export type IntData = Int32Array | Uint8Array | Int8Array;

/** An integer tensor. Values fit int32 (every quantized dtype and every valid zero point does). */
export interface IntTensor {
  readonly dtype: IntDtype;
  readonly shape: readonly number[];
  readonly data: IntData;
}

export type Tensor = F32Tensor | F64Tensor | F16Tensor | IntTensor;

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function f32Tensor(shape: readonly number[], data: Float32Array | readonly number[]): F32Tensor {
  return { dtype: 'float32', shape: [...shape], data: data instanceof Float32Array ? data : Float32Array.from(data) };
}

export function f64Tensor(shape: readonly number[], data: Float64Array | readonly number[]): F64Tensor {
  return { dtype: 'float64', shape: [...shape], data: data instanceof Float64Array ? data : Float64Array.from(data) };
}

export function intTensor(dtype: IntDtype, shape: readonly number[], data: Int32Array | readonly number[]): IntTensor {
  return { dtype, shape: [...shape], data: data instanceof Int32Array ? data : Int32Array.from(data) };
}

/** An integer tensor on compact one-byte storage: keeps `data` as given (no copy). */
export function byteTensor(dtype: IntDtype, shape: readonly number[], data: Uint8Array | Int8Array): IntTensor {
  return { dtype, shape: [...shape], data };
}

/** The same elements under another shape (row-major, the same count): the storage, Int32Array or bytes, is kept. */
export function reshaped(t: IntTensor, shape: readonly number[]): IntTensor {
  return { dtype: t.dtype, shape: [...shape], data: t.data };
}

/**
 * A copy of integer data in its own memory, of the same storage kind (a Node Buffer gives a plain Uint8Array: its
 * `slice` is a view of the same memory, not a copy).
 */
export function copyOfIntData(d: IntData): IntData {
  return d instanceof Int32Array ? d.slice() : d instanceof Int8Array ? Int8Array.from(d) : Uint8Array.from(d);
}

/**
 * The element values of integer data as an Int32Array: the array itself when it already is one (no copy), else a
 * fresh Int32Array of the same values. For code that writes into the data, reads its bytes as int32, returns it as
 * a tensor's Int32Array or hands it to an API that needs an Int32Array.
 */
export function int32Data(d: IntData): Int32Array {
  return d instanceof Int32Array ? d : Int32Array.from(d);
}

/**
 * Row-major layout along one axis: element i belongs to channel floor(i / inner) % channels.
 * Shared indexing, not arithmetic: both reference/ and impl/ iterate per-channel data with it.
 */
export interface ChannelLayout {
  readonly channels: number;
  readonly inner: number;
}

export function channelLayout(shape: readonly number[], axis: number): ChannelLayout {
  return { channels: shape[axis] as number, inner: numel(shape.slice(axis + 1)) };
}

export function channelOf(index: number, layout: ChannelLayout): number {
  return Math.floor(index / layout.inner) % layout.channels;
}

/**
 * The order in which the per-channel observers visit a batch: `x.permute(swap(0, axis)).flatten(start_dim=1)`
 * (torch/ao/quantization/observer.py, PerChannelMinMaxObserver._forward). Entry j is the original flat
 * index of element j of that [channels, numel / channels] row-major view, so channel c owns entries
 * [c * numel / channels, (c + 1) * numel / channels). The order decides which of two equal values
 * (+0 / -0) a reduction meets first. Integer index arithmetic only.
 */
export function channelMajorOrder(shape: readonly number[], axis: number): Int32Array {
  const ndim = shape.length;
  const permutedShape = [...shape];
  const permutedStrides = shape.map((_, d) => numel(shape.slice(d + 1)));
  [permutedShape[0], permutedShape[axis]] = [permutedShape[axis] as number, permutedShape[0] as number];
  [permutedStrides[0], permutedStrides[axis]] = [permutedStrides[axis] as number, permutedStrides[0] as number];
  const order = new Int32Array(numel(shape));
  const index = new Int32Array(ndim);
  let src = 0;
  for (let dst = 0; dst < order.length; dst++) {
    order[dst] = src;
    // odometer step over the permuted shape, innermost dimension first
    for (let d = ndim - 1; d >= 0; d--) {
      const size = permutedShape[d] as number;
      const stride = permutedStrides[d] as number;
      src += stride;
      if ((index[d] as number) + 1 < size) {
        index[d] = (index[d] as number) + 1;
        break;
      }
      index[d] = 0;
      src -= stride * size;
    }
  }
  return order;
}
