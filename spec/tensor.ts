import type { QuantDtype } from './dtypes.js';

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

/** Integer dtypes that appear in the contract: quantized storage and the zero-point dtypes torch returns. */
export type IntDtype = QuantDtype | 'int32' | 'int64';

/** An integer tensor. Values fit int32 (every quantized dtype and every valid zero point does). */
export interface IntTensor {
  readonly dtype: IntDtype;
  readonly shape: readonly number[];
  readonly data: Int32Array;
}

export type Tensor = F32Tensor | F64Tensor | IntTensor;

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
 * The order in which PerChannelMinMaxObserver visits a batch: it swaps dim 0 with ch_axis (permute),
 * then flattens from dim 1. Returns, for each channel, the original flat indices in that order.
 */
export function swappedAxisTraversal(shape: readonly number[], axis: number): Int32Array[] {
  const permuted = [...shape];
  [permuted[0], permuted[axis]] = [shape[axis] as number, shape[0] as number];
  const strides = shape.map((_, d) => numel(shape.slice(d + 1)));
  const channels = shape[axis] as number;
  const perChannel = numel(shape) / Math.max(channels, 1);
  const out = Array.from({ length: channels }, () => new Int32Array(perChannel));
  const index = new Array<number>(shape.length).fill(0); // multi-index in the permuted tensor
  const total = numel(shape);
  for (let j = 0; j < total; j++) {
    let flat = 0;
    for (let d = 0; d < shape.length; d++) {
      const originalDim = d === 0 ? axis : d === axis ? 0 : d;
      flat += (index[d] as number) * (strides[originalDim] as number);
    }
    (out[index[0] as number] as Int32Array)[j % perChannel] = flat;
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = (index[d] as number) + 1;
      if ((index[d] as number) < (permuted[d] as number)) break;
      index[d] = 0;
    }
  }
  return out;
}
